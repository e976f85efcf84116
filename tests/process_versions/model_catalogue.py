"""Small one-construct BPMN and DMN models, as a process owner draws them in Camunda Modeler, for the refusal
and run tests: each holds the construct as element ``x`` between a start and a user task."""

from __future__ import annotations

from service.config import ROOT

BPMN_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="defs" targetNamespace="https://sagsflow.dk/test">
"""
FLOWS = "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>"


def model(construct: str, top: str = "", extra: str = "", executable: str = ' isExecutable="true"') -> bytes:
    """A process start → x → user task «afslutning» → end, with ``construct`` as x (``{flows}`` its flows)."""
    return (BPMN_HEAD + top + f"""<bpmn:process id="konstruktion" name="Konstruktion"{executable}>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {construct.replace("{flows}", FLOWS)}
    <bpmn:userTask id="opgave" name="Opgave" camunda:formKey="afslutning">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="slut"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="x"/>
    <bpmn:sequenceFlow id="f2" sourceRef="x" targetRef="opgave"/>
    <bpmn:sequenceFlow id="f3" sourceRef="opgave" targetRef="slut"/>
    {extra}
  </bpmn:process>
</bpmn:definitions>""").encode()


def script(loop: str = "", attributes: str = "", text: str = "n = 1") -> str:
    body = f"<bpmn:script>{text}</bpmn:script>" if text is not None else ""
    return f'<bpmn:scriptTask id="x" name="Beregn"{attributes}>{{flows}}{loop}{body}</bpmn:scriptTask>'


def catch(definition: str) -> str:
    return f'<bpmn:intermediateCatchEvent id="x" name="Vent">{{flows}}{definition}</bpmn:intermediateCatchEvent>'


def throw(definition: str) -> str:
    return f'<bpmn:intermediateThrowEvent id="x" name="Kast">{{flows}}{definition}</bpmn:intermediateThrowEvent>'


TASK = '<bpmn:task id="x" name="Noget">{flows}</bpmn:task>'
BOUNDARY = '<bpmn:boundaryEvent id="x_kant" attachedToRef="opgave" cancelActivity="false">{}</bpmn:boundaryEvent>'
EXTENSIONS = '<bpmn:extensionElements>{}</bpmn:extensionElements>'
MESSAGE = '<bpmn:message id="besked" name="svar_modtaget"/>'

# (name, model, element the refusal names, words the message holds): constructs of BPMN 2.0 that Sagsflow
# does not run, and mistakes a drawing can hold, each refused at its element.
REFUSED = [
    ("forretningsregel uden tabel", model('<bpmn:businessRuleTask id="x">{flows}</bpmn:businessRuleTask>'),
     "x", "mangler en beslutningstabel"),
    ("forretningsregel med Java-klasse",
     model('<bpmn:businessRuleTask id="x" camunda:class="dk.Regel">{flows}</bpmn:businessRuleTask>'),
     "x", "Java-klasse (camunda:class)"),
    ("serviceopgave med camunda:class",
     model('<bpmn:serviceTask id="x" camunda:class="dk.kommune.Integration">{flows}</bpmn:serviceTask>'),
     "x", "Java-klasse (camunda:class)"),
    ("serviceopgave med ekstern worker",
     model('<bpmn:serviceTask id="x" camunda:type="external" camunda:topic="cpr">{flows}</bpmn:serviceTask>'),
     "x", 'ekstern worker (camunda:type="external")'),
    ("serviceopgave med delegateExpression",
     model('<bpmn:serviceTask id="x" camunda:delegateExpression="${cpr}">{flows}</bpmn:serviceTask>'),
     "x", "camunda:delegateExpression"),
    ("serviceopgave med connector", model('<bpmn:serviceTask id="x">' + EXTENSIONS.format(
        '<camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector>')
        + "{flows}</bpmn:serviceTask>"), "x", "connector"),
    ("serviceopgave uden implementering", model('<bpmn:serviceTask id="x">{flows}</bpmn:serviceTask>'),
     "x", "Brug en scriptopgave med Python"),
    ("sendeopgave", model('<bpmn:sendTask id="x" messageRef="besked">{flows}</bpmn:sendTask>', MESSAGE),
     "x", "Sagsflow sender ingen beskeder ud"),
    ("kompleks gateway", model('<bpmn:complexGateway id="x">{flows}</bpmn:complexGateway>'),
     "x", "komplekse gateways understøttes ikke"),
    ("ad hoc-underproces", model('<bpmn:adHocSubProcess id="x">{flows}<bpmn:userTask id="indre" '
                                 'camunda:formKey="afslutning"/></bpmn:adHocSubProcess>'), "x", "ad hoc"),
    ("transaktion uden sluthændelse", model('<bpmn:transaction id="x">{flows}<bpmn:startEvent id="indre_start"/>'
                                           "</bpmn:transaction>"), "x", "sluthændelse"),
    ("kompensation kastet", model(throw("<bpmn:compensateEventDefinition/>")), "x", "kompensation"),
    ("kompensation på kanten", model(TASK.replace('id="x"', 'id="x" isForCompensation="true"'), extra=BOUNDARY.format(
        "<bpmn:compensateEventDefinition/>")), "x_kant", "kompensation"),
    ("randhændelse uden type", model(script(), extra=BOUNDARY.format("")), "x_kant", "ingen hændelsestype"),
    ("randhændelse med link", model(script(), extra=BOUNDARY.format('<bpmn:linkEventDefinition name="l"/>')),
     "x_kant", "ingen hændelsestype"),
    ("betingelseshændelse", model(catch('<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:'
                                        'tFormalExpression">beloeb &gt; 100</bpmn:condition>'
                                        "</bpmn:conditionalEventDefinition>")), "x", "betingelseshændelser"),
    ("betingelse på kanten", model(script(), extra=BOUNDARY.format(
        "<bpmn:conditionalEventDefinition><bpmn:condition>beloeb &gt; 100</bpmn:condition>"
        "</bpmn:conditionalEventDefinition>")), "x_kant", "betingelseshændelser"),
    ("gentaget timer", model(catch("<bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>"
                                   "</bpmn:timerEventDefinition>")), "x", "gentagne timere fyrer ikke"),
    ("timer uden tid", model(catch("<bpmn:timerEventDefinition/>")), "x", "Timeren mangler"),
    ("timer der ligner ISO", model(catch("<bpmn:timerEventDefinition><bpmn:timeDuration>PT5Q</bpmn:timeDuration>"
                                         "</bpmn:timerEventDefinition>")), "x", "ligner en ISO 8601-tid"),
    ("multi-instance uden antal", model(script('<bpmn:multiInstanceLoopCharacteristics isSequential="true"/>')),
     "x", "Multi-instance kræver"),
    ("multi-instance med JUEL-antal", model(script("<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>"
                                                   "${antal}</bpmn:loopCardinality>"
                                                   "</bpmn:multiInstanceLoopCharacteristics>")),
     "x", "udtryk skal være Python"),
    ("script fra fil", model(script(attributes=' camunda:resource="beregn.py"', text=None)), "x", "camunda:resource"),
    ("tomt script", model(script(text=" ")), "x", "intet script"),
    ("execution listener", model('<bpmn:task id="x">' + EXTENSIONS.format(
        '<camunda:executionListener class="dk.Lytter" event="start"/>') + "{flows}</bpmn:task>"),
     "x", "execution listener"),
    ("input/output-mapping", model('<bpmn:userTask id="x" camunda:formKey="afslutning">' + EXTENSIONS.format(
        '<camunda:inputOutput><camunda:inputParameter name="a">${b}</camunda:inputParameter></camunda:inputOutput>')
        + "{flows}</bpmn:userTask>"), "x", "input/output-mapping"),
    ("kaldaktivitet uden proces", model('<bpmn:callActivity id="x">{flows}</bpmn:callActivity>'),
     "x", "Called element"),
    ("kaldaktivitet til ukendt proces", model('<bpmn:callActivity id="x" calledElement="findes_ikke">{flows}'
                                              "</bpmn:callActivity>"), "x", "ikke findes i nogen BPMN-fil"),
    ("forretningsregel til ukendt tabel", model('<bpmn:businessRuleTask id="x" camunda:decisionRef="findes_ikke">'
                                                "{flows}</bpmn:businessRuleTask>"), "x", "ikke findes i nogen DMN-fil"),
    ("ukendt frist", model(catch('<bpmn:timerEventDefinition><bpmn:timeDate>frist("findes_ikke", {})'
                                 "</bpmn:timeDate></bpmn:timerEventDefinition>")), "x", "findes ikke i frister.toml"),
    ("opgave uden type", model(TASK), "x", "opgave uden type"),
    ("manuel opgave", model('<bpmn:manualTask id="x">{flows}</bpmn:manualTask>'), "x", "manuel opgave"),
    ("brugeropgave uden formular", model('<bpmn:userTask id="x">{flows}</bpmn:userTask>'), "x", "Form key"),
    ("brugeropgave med ukendt formular", model('<bpmn:userTask id="x" camunda:formKey="findes_ikke">{flows}'
                                               "</bpmn:userTask>"), "x", "findes_ikke"),
    ("signal på sluthændelse", model(TASK.replace("bpmn:task", "bpmn:userTask").replace(
        'name="Noget"', 'camunda:formKey="afslutning"'), '<bpmn:signal id="sig" name="sig"/>').replace(
        b'<bpmn:endEvent id="slut"><bpmn:incoming>f3</bpmn:incoming>',
        b'<bpmn:endEvent id="slut"><bpmn:incoming>f3</bpmn:incoming><bpmn:signalEventDefinition signalRef="sig"/>'),
     "slut", "sender et signal"),
    ("pil til intet", model(TASK).replace(b'targetRef="opgave"', b'targetRef="findes_ikke"'), "f2", "Pilen"),
    ("randhændelse på intet", model(script(), extra=BOUNDARY.replace("opgave", "findes_ikke").format(
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>")),
     "x_kant", "Randhændelsen"),
    ("besked der ikke findes", model(catch('<bpmn:messageEventDefinition messageRef="findes_ikke"/>')),
     "x", "beskeden 'findes_ikke'"),
    ("fejl der ikke findes", model(script()).replace(
        b'<bpmn:endEvent id="slut"><bpmn:incoming>f3</bpmn:incoming>',
        b'<bpmn:endEvent id="slut"><bpmn:incoming>f3</bpmn:incoming><bpmn:errorEventDefinition errorRef="nej"/>'),
     "slut", "fejlen 'nej'"),
    ("eskalering der ikke findes", model(throw('<bpmn:escalationEventDefinition escalationRef="nej"/>')),
     "x", "eskaleringen 'nej'"),
    ("signal der ikke findes", model(catch('<bpmn:signalEventDefinition signalRef="nej"/>')), "x", "signalet 'nej'"),
    ("id brugt to gange", model(script() + '<bpmn:task id="x"/>'), "x", "brugt mere end én gang"),
    ("pil uden start", model(script()).replace(b' sourceRef="x"', b""), "f2", "sourceRef"),
    ("element på forkert plads", model(script()).replace(
        b'<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>',
        b'<bpmn:outgoing>f1</bpmn:outgoing><bpmn:incoming>f9</bpmn:incoming></bpmn:startEvent>'),
     "start", "ikke tillader det"),
    ("proces ikke eksekverbar", model(script(), executable=' isExecutable="false"'), "konstruktion", "Executable"),
    ("proces uden Executable", model(script(), executable=""), "konstruktion", "Executable"),
    ("to eksekverbare processer", model(script()).replace(b"</bpmn:definitions>", b'<bpmn:process id="anden" '
                                                          b'isExecutable="true"/></bpmn:definitions>'),
     "anden", "én proces pr. fil"),
    ("proces uden start", (BPMN_HEAD + '<bpmn:process id="tom" isExecutable="true"><bpmn:task id="t"/>'
                           "</bpmn:process></bpmn:definitions>").encode(), "tom", "ingen starthændelse"),
    ("koreografi", (BPMN_HEAD + '<bpmn:choreography id="koreo"><bpmn:participant id="a"/><bpmn:participant id="b"/>'
                    '<bpmn:choreographyTask id="ktask" initiatingParticipantRef="a"><bpmn:participantRef>a'
                    "</bpmn:participantRef><bpmn:participantRef>b</bpmn:participantRef></bpmn:choreographyTask>"
                    "</bpmn:choreography></bpmn:definitions>").encode(), "ktask", "koreografier"),
    ("ukendt fase", model('<bpmn:userTask id="x" name="Vurdér" camunda:formKey="afslutning">{flows}'
                          + EXTENSIONS.format('<camunda:properties><camunda:property name="fase" value="undersøgelse"/>'
                                              "</camunda:properties>") + "</bpmn:userTask>"),
     "x", "fasen «undersøgelse», som Sagsflow ikke kender. Skriv en af: underretning, afklaring, undersoegelse"),
    ("kæmpe attributværdi", model('<bpmn:complexGateway id="x" name="' + "å" * 1_000_000 + '">{flows}'
                                  "</bpmn:complexGateway>"), "x", "komplekse gateways"),
]

# Files no element can be named in (nor shown): the file itself is refused, saying why.
_CASE = (ROOT / "workflows" / "triage.bpmn").read_bytes()
REFUSED_FILES = [
    ("tom fil", b"", "Filen er tom"),
    ("kun mellemrum", b"  \n ", "ikke XML"),
    ("afkortet", _CASE[: len(_CASE) // 2], "Filen kan ikke læses som XML"),
    ("forkert lukket", b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><a></b>"
                       b"</bpmn:definitions>", "sluttag"),
    ("præfiks uden navnerum", b"<bpmn:definitions><bpmn:process/></bpmn:definitions>", "præfiks"),
    ("forkert navnerum", _CASE.replace(b"http://www.omg.org/spec/BPMN/20100524/MODEL", b"http://example.org/bpmn"),
     "ikke en BPMN 2.0-model"),
    ("intet navnerum", b'<definitions><process id="p" isExecutable="true"/></definitions>', "ikke en BPMN 2.0-model"),
    ("DMN som .bpmn", (ROOT / "workflows" / "triage.dmn").read_bytes(), "DMN-model"),
    ("binært affald", bytes(range(256)) * 4, "UTF-8"),
    ("UTF-16", _CASE.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"), "UTF-8"),
    ("ekstern entitet", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                        b"<d>&e;</d>", "entitet"),
    ("opgave uden id", model(script()).replace(b'<bpmn:userTask id="opgave"', b"<bpmn:userTask"), "mangler et id"),
    ("samarbejde uden proces", (BPMN_HEAD + '<bpmn:collaboration id="samarbejde"/></bpmn:definitions>').encode(),
     "ingen proces"),
]

DMN_HEAD = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D" namespace="t">'
REFUSED_TABLES = [
    ("afkortet tabel", (ROOT / "workflows" / "triage.dmn").read_bytes()[:400], None, "Filen kan ikke læses som XML"),
    ("ikke DMN", _CASE, None, "ingen DMN-beslutning"),
    ("literal expression", (DMN_HEAD + '<decision id="beregning"><literalExpression><text>1</text>'
                            "</literalExpression></decision></definitions>").encode(), "beregning",
     "ikke en beslutningstabel"),
    ("input uden udtryk", (DMN_HEAD + '<decision id="d1"><decisionTable id="t"><input id="uden_udtryk"/>'
                           '<output id="o" name="r" typeRef="string"/><rule id="r1"><inputEntry id="e1"><text>-'
                           '</text></inputEntry><outputEntry id="u1"><text>"ok"</text></outputEntry></rule>'
                           "</decisionTable></decision></definitions>").encode(), "uden_udtryk",
     "inputudtrykket mangler"),
    ("beslutning uden id", (DMN_HEAD + '<decision name="Uden id"><decisionTable id="t2"><input id="i2">'
                            '<inputExpression typeRef="string"><text>a</text></inputExpression></input>'
                            '<output id="o2" name="r" typeRef="string"/></decisionTable></decision>'
                            "</definitions>").encode(), None, "mangler et id"),
    ("kæde af beslutninger", (DMN_HEAD + '<decision id="samlet"><informationRequirement id="krav"><requiredDecision '
                              'href="#del"/></informationRequirement><decisionTable id="t"><input id="i">'
                              '<inputExpression typeRef="string"><text>del</text></inputExpression></input>'
                              '<output id="o" name="r" typeRef="string"/><rule id="r1">'
                              '<inputEntry id="e1"><text>"ja"</text></inputEntry>'
                              '<outputEntry id="u1"><text>"ok"</text></outputEntry></rule></decisionTable></decision>'
                              "</definitions>").encode(), "samlet", "kæder af beslutninger"),
]

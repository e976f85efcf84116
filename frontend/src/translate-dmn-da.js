// Danish for the process owners' DMN editor: the municipality's users read Danish, so the requirements
// diagram (DRD), the decision table, the literal expression and the boxed expression views speak it too.
// A diagram-js module that replaces the default `translate` service in each dmn-js view: it looks the
// English text up here and falls back to it when a string is missing. Keys are the exact English texts
// dmn-js 17 (dmn-js-drd, -decision-table, -literal-expression, -boxed-expression, -shared) and diagram-js
// pass to translate(), including those they look up from tables (hit policies, data types, replace
// options, validation messages); {placeholders} are filled in afterwards. Give it to every view's own
// `additionalModules` (drd, decisionTable, literalExpression, boxedExpression): dmn-js 17 drops
// `common.additionalModules` when it creates a view (bpmn-io/dmn-js#694).

import { translateModule } from "./translate-module.js";

const DANISH = {

  // DRD: palette and tools
  "Activate hand tool": "Aktiver håndværktøjet",
  "Activate lasso tool": "Aktiver lassoværktøjet",
  "Create decision": "Opret beslutning",
  "Create input data": "Opret inputdata",
  "Create knowledge source": "Opret videnskilde",
  "Create knowledge model": "Opret vidensmodel",
  "Search in diagram": "Søg i diagram",

  // DRD: context pad (connecting picks information-, knowledge- or authority requirement by itself)
  "Append decision": "Tilføj beslutning",
  "Append input data": "Tilføj inputdata",
  "Append knowledge source": "Tilføj videnskilde",
  "Append business knowledge model": "Tilføj vidensmodel",
  "Add text annotation": "Tilføj tekstanmærkning",
  "Connect to other element": "Forbind med et andet element",
  "Change type": "Skift type",
  "Delete": "Slet",

  // DRD: "Change type" menu and the drill-down buttons on decisions
  "Empty": "Tom",
  "Decision table": "Beslutningstabel",
  "Literal expression": "Litteralt udtryk",
  "Literal Expression": "Litteralt udtryk",
  "Open decision table": "Åbn beslutningstabel",
  "Open literal expression": "Åbn litteralt udtryk",

  // DRD: definitions name/ID box and its ID validation
  "Definition name": "Definitionsnavn",
  "Definition ID": "Definitions-ID",
  "Element must have ID.": "Elementet skal have et ID.",
  "Element must have unique ID.": "Elementet skal have et entydigt ID.",
  "Id must not contain spaces.": "ID må ikke indeholde mellemrum.",
  "Id must not contain prefix.": "ID må ikke indeholde et præfiks.",
  "Id must be a valid QName.": "ID skal være et gyldigt QName.",

  // All views: link back to the requirements diagram, data type pickers
  "View DRD": "Vis beslutningskrav (diagram)",
  "Type": "Type",

  // Data types (typeRef), shown in type pickers and column heads; the FEEL name stays in parentheses.
  // "Any" is also the hit policy's label, hence one word that fits both.
  "string": "tekst (string)",
  "boolean": "boolesk (boolean)",
  "number": "tal (number)",
  "integer": "heltal (integer)",
  "long": "heltal (long)",
  "double": "decimaltal (double)",
  "date": "dato (date)",
  "time": "klokkeslæt (time)",
  "dateTime": "dato og klokkeslæt (dateTime)",
  "dayTimeDuration": "varighed i dage/timer (dayTimeDuration)",
  "yearMonthDuration": "varighed i år/måneder (yearMonthDuration)",
  "Any": "Vilkårlig",

  // Decision table: name and hit policy
  "Decision name": "Beslutningsnavn",
  "Decision name: ": "Beslutningsnavn: ",
  "Hit policy": "Hitpolitik",
  "Hit policy:": "Hitpolitik:",

  // Hit policies and their explanations
  "Unique": "Unik",
  "First": "Første",
  "Priority": "Prioritet",
  "Collect": "Saml",
  "Collect (Sum)": "Saml (sum)",
  "Collect (Min)": "Saml (min.)",
  "Collect (Max)": "Saml (maks.)",
  "Collect (Count)": "Saml (antal)",
  "Rule order": "Regelrækkefølge",
  "Output order": "Outputrækkefølge",
  "No overlap is possible and all rules are disjoint. Only a single rule can be matched":
    "Reglerne kan ikke overlappe og udelukker gensidigt hinanden. Kun én regel kan matche",
  "Rules may overlap. The first matching rule will be chosen":
    "Reglerne kan overlappe hinanden. Den første regel, der matcher, vælges",
  "Rules may overlap. The one with the highest priority will be chosen":
    "Reglerne kan overlappe hinanden. Reglen med den højeste prioritet vælges",
  "Rules may overlap. Their output have to match":
    "Reglerne kan overlappe hinanden, men deres output skal være ens",
  "Collects the values of all matching rules": "Samler værdierne fra alle regler, der matcher",
  "Collects the values of all matching rules and sums up to a single value":
    "Samler værdierne fra alle regler, der matcher, og lægger dem sammen til én værdi",
  "Collects the values of all matching rules and uses the lowest value":
    "Samler værdierne fra alle regler, der matcher, og bruger den laveste værdi",
  "Collects the values of all matching rules and uses the highest value":
    "Samler værdierne fra alle regler, der matcher, og bruger den højeste værdi",
  "Collects the values of all matching rules and counts the number of them":
    "Samler værdierne fra alle regler, der matcher, og tæller, hvor mange der er",
  "Collects the values of all matching rules in rule order":
    "Samler værdierne fra alle regler, der matcher, i regelrækkefølge",
  "Collects the values of all matching rules in decreasing output priority order":
    "Samler værdierne fra alle regler, der matcher, sorteret efter faldende outputprioritet",

  // Decision table: column heads
  "When": "Når",
  "And": "Og",
  "Then": "Så",
  "Input": "Input",
  "Output": "Output",
  "Annotation": "Anmærkning",
  "Annotations": "Anmærkninger",
  "Input label: ": "Inputetiket: ",
  "Input expression: ": "Inputudtryk: ",
  "Input values": "Foruddefinerede inputværdier",
  "Input type": "Inputtype",
  "Output label: ": "Outputetiket: ",
  "Output name: ": "Outputnavn: ",
  "Output values": "Foruddefinerede outputværdier",
  "Output type": "Outputtype",

  // Decision table: input and output editors
  "Edit input": "Rediger input",
  "Input label": "Inputetiket",
  "Expression": "Udtryk",
  "Input expression": "Inputudtryk",
  "Enter expression": "Indtast udtryk",
  "Edit output": "Rediger output",
  "Output label": "Outputetiket",
  "Output name": "Outputnavn",

  // Decision table: predefined values
  "Predefined values": "Foruddefinerede værdier",
  "No values": "Ingen værdier",
  "Clear predefined values": "Ryd foruddefinerede værdier",
  "Add predefined values": "Tilføj foruddefinerede værdier",
  "\"value\", \"value\", ...": "\"værdi\", \"værdi\", ...",
  "Strings must be in double quotes": "Tekstværdier skal stå i dobbelte anførselstegn",

  // Decision table: adding, moving and resizing
  "Add rule": "Tilføj regel",
  "Add input": "Tilføj input",
  "Add output": "Tilføj output",
  "Move rule": "Flyt regel",
  "Resize": "Tilpas kolonnebredde",

  // Decision table: context menu
  "Copy rule": "Kopier regel",
  "Cut rule": "Klip regel",
  "Paste rule above": "Indsæt regel ovenfor",
  "Paste rule below": "Indsæt regel nedenfor",
  "Add rule above": "Tilføj regel ovenfor",
  "Add rule below": "Tilføj regel nedenfor",
  "Remove rule": "Fjern regel",
  "Copy input column": "Kopier inputkolonne",
  "Cut input column": "Klip inputkolonne",
  "Paste input column left": "Indsæt inputkolonne til venstre",
  "Paste input column right": "Indsæt inputkolonne til højre",
  "Add input column left": "Tilføj inputkolonne til venstre",
  "Add input column right": "Tilføj inputkolonne til højre",
  "Remove input column": "Fjern inputkolonne",
  "Copy output column": "Kopier outputkolonne",
  "Cut output column": "Klip outputkolonne",
  "Paste output column left": "Indsæt outputkolonne til venstre",
  "Paste output column right": "Indsæt outputkolonne til højre",
  "Add output column left": "Tilføj outputkolonne til venstre",
  "Add output column right": "Tilføj outputkolonne til højre",
  "Remove output column": "Fjern outputkolonne",
  "Add cell description": "Tilføj cellebeskrivelse",
  "Remove cell description": "Fjern cellebeskrivelse",
  "Change cell expression language": "Skift cellens udtrykssprog",

  // Decision table: cells and expression language
  "Expression language": "Udtrykssprog",
  "Expression language: {expressionLanguageLabel}": "Udtrykssprog: {expressionLanguageLabel}",
  "Edit": "Rediger",
  "Editing not supported for set expression language": "Redigering understøttes ikke for det valgte udtrykssprog",

  // Simple mode: shared texts
  "Set value": "Angiv værdi",
  "Value": "Værdi",
  "Values": "Værdier",
  "Test type": "Sammenligningstype",
  "Comparison": "Sammenligning",
  "Range": "Interval",
  // Upstream writes "{ sample }" and "{ example }" with spaces, which never match the replacement keys;
  // the Danish texts use {sample} and {example}, so the example value actually shows.
  "e.g. { sample }": "f.eks. {sample}",
  "e.g. { example } ": "f.eks. {example}",

  // Simple mode: boolean cells (the values are true/false)
  "Edit boolean": "Rediger boolesk værdi",
  "Boolean value": "Boolesk værdi",
  "Yes": "Sand",
  "No": "Falsk",

  // Simple mode: string cells
  "Edit string": "Rediger tekst",
  "String value": "Tekstværdi",
  "Match one": "Matcher én af værdierne",
  "Match none": "Matcher ingen af værdierne",
  "Custom values": "Egne værdier",
  "Add values": "Tilføj værdier",
  "\"value\"": "\"værdi\"",

  // Simple mode: number and duration cells
  "Edit number": "Rediger tal",
  "Edit duration": "Rediger varighed",
  "Set duration": "Angiv varighed",
  "Duration value": "Varighed",
  "Comparison operator": "Sammenligningsoperator",
  "Equals": "Lig med",
  "Less": "Mindre end",
  "Less or equals": "Mindre end eller lig med",
  "Greater": "Større end",
  "Greater or equals": "Større end eller lig med",
  "Start value": "Startværdi",
  "End value": "Slutværdi",
  "Include": "Inklusive",
  "Exclude": "Eksklusive",
  "Range start operator": "Operator for intervallets start",
  "Range start value": "Intervallets startværdi",
  "Range end operator": "Operator for intervallets slutning",
  "Range end value": "Intervallets slutværdi",
  "Must match PnYnM": "Skal have formatet PnYnM (f.eks. P1Y2M)",
  "Must match PnDTnH": "Skal have formatet PnDTnH (f.eks. P1DT2H)",

  // Simple mode: date cells
  "Edit date": "Rediger dato",
  "Set date": "Angiv dato",
  "Exactly": "Præcis",
  "Before": "Før",
  "After": "Efter",
  "Between": "Mellem",
  "Date": "Dato",
  "Date value": "Dato",
  "Start date": "Startdato",
  "End date": "Slutdato",
  "Edit start date": "Rediger startdato",
  "Edit end date": "Rediger slutdato",
  "Use today": "Brug dags dato",
  "Date must match pattern yyyy-MM-dd": "Datoen skal have formatet yyyy-MM-dd (år-måned-dag)",

  // Simple mode: date and time cells
  "Edit date and time": "Rediger dato og klokkeslæt",
  "Set date and time": "Angiv dato og klokkeslæt",
  "Date and time": "Dato og klokkeslæt",
  "Date and time value": "Dato og klokkeslæt",
  "Start date and time": "Starttidspunkt",
  "End date and time": "Sluttidspunkt",
  "Edit start date and time": "Rediger starttidspunkt",
  "Edit end date and time": "Rediger sluttidspunkt",
  "Date and time must match pattern yyyy-MM-ddTHH:mm:ss[time zone]":
    "Dato og klokkeslæt skal have formatet yyyy-MM-ddTHH:mm:ss[tidszone]",

  // Simple mode: time cells
  "Edit time": "Rediger klokkeslæt",
  "Set time": "Angiv klokkeslæt",
  "Time": "Klokkeslæt",
  "Time value": "Klokkeslæt",
  "Start time": "Startklokkeslæt",
  "End time": "Slutklokkeslæt",
  "Edit start time": "Rediger startklokkeslæt",
  "Edit end time": "Rediger slutklokkeslæt",
  "Use now": "Brug det aktuelle klokkeslæt",
  "Time must match pattern hh:mm:ss[time zone]": "Klokkeslættet skal have formatet hh:mm:ss[tidszone]",

  // Literal expression view
  "Literal expression editor": "Editor til litteralt udtryk",
  "Variable name": "Variabelnavn",
  "Variable name:": "Variabelnavn:",
  "Variable type": "Variabeltype",
  "Variable type:": "Variabeltype:",
  "Expression language:": "Udtrykssprog:",
  "name": "navn",

  // Boxed expression view (business knowledge models and their functions)
  "Element name": "Elementnavn",
  "Function kind: {kind}": "Funktionstype: {kind}",
  "Edit function kind": "Rediger funktionstype",
  "Kind": "Type",
  "Edit formal parameters": "Rediger formelle parametre",
  "Add parameter": "Tilføj parameter",
  "Remove parameter": "Fjern parameter",
};

export default translateModule(DANISH);

// A «Frist» group in the properties panel for a timer that names a deadline, e.g. frist("bfu", …): the process
// owner picks the deadline from the municipality's catalogue (name and length) instead of typing its id. Only
// the id changes; what the deadline counts from (the expression's other arguments) stays as written.
import { SelectEntry, isSelectEntryEdited } from "@bpmn-io/properties-panel";
import { jsx } from "@bpmn-io/properties-panel/preact/jsx-runtime";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

const CALL = /^(\s*(?:frist|advis|tidspunkt)\(\s*)(["'])([A-Za-z0-9_]+)\2/;

function timerExpression(element) {
  const definition = (getBusinessObject(element).eventDefinitions || [])
    .find((d) => is(d, "bpmn:TimerEventDefinition"));
  return definition && (definition.timeDate || definition.timeDuration || definition.timeCycle);
}

function DeadlineSelect({ element, id }) {
  const modeling = useService("modeling");
  const deadlines = useService("sagsflowDeadlines");
  const expression = timerExpression(element);
  const current = () => (CALL.exec(expression?.body || "") || [])[3] || "";
  const setValue = (value) => modeling.updateModdleProperties(element, expression, {
    body: expression.body.replace(CALL, (_, head, quote) => `${head}${quote}${value}${quote}`),
  });
  const getOptions = () => {
    const options = deadlines.map((d) => ({ value: d.id, label: `${d.navn} – ${d.laengde}` }));
    const value = current();
    return deadlines.some((d) => d.id === value) ? options
      : [{ value, label: `${value} (findes ikke i fristkataloget)` }, ...options];
  };
  return jsx(SelectEntry, {
    element, id, label: "Frist", getValue: current, setValue, getOptions,
    description: "Længden står i fristkataloget; timeren tæller fra datoen i udtrykket.",
  });
}

function DeadlineProvider(propertiesPanel) {
  propertiesPanel.registerProvider(400, this);
}
DeadlineProvider.$inject = ["propertiesPanel"];

DeadlineProvider.prototype.getGroups = function getGroups(element) {
  return (groups) => {
    if (!CALL.test(timerExpression(element)?.body || "")) return groups;
    const entries = [{ id: "sagsflowFrist", element, component: DeadlineSelect, isEdited: isSelectEntryEdited }];
    groups.splice(1, 0, { id: "sagsflow-frist", label: "Frist fra fristkataloget", entries });
    return groups;
  };
};

export function deadlinePicker(deadlines) {
  return {
    __init__: ["sagsflowDeadlineProvider"],
    sagsflowDeadlineProvider: ["type", DeadlineProvider],
    sagsflowDeadlines: ["value", deadlines],
  };
}

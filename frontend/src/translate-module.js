// A diagram-js/dmn-js module that replaces the default `translate` service with a dictionary lookup.

/**
 * Same contract as diagram-js's lib/i18n/translate/translate.js: the dictionary's text (or the English
 * template when there is none), with each {key} replaced by replacements[key] where one is given.
 */
export function translateModule(dictionary) {
  function translate(template, replacements) {
    if (typeof template !== "string") return template;
    const text = Object.prototype.hasOwnProperty.call(dictionary, template) ? dictionary[template] : template;
    const values = replacements || {};
    return text.replace(/{([^}]+)}/g, (_, key) => values[key] || "{" + key + "}");
  }
  return { translate: ["value", translate] };
}

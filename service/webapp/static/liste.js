// Back from «Tag opgaven» or «Frigiv» with #opgave-<id>: the keyboard continues from the same row.
(function () {
  var row = location.hash.indexOf("#opgave-") === 0 && document.getElementById(location.hash.slice(1));
  if (row) { row.focus(); }
})();

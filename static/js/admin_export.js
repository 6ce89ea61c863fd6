// The export page's "select all" (django-import-export's inline handler, which the CSP refuses).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (toggle) toggle.addEventListener("change", onSelectToggleChange);
});

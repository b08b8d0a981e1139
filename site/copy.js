// Copy buttons for the cells' code (the page reads the same without this script).
document.querySelectorAll("section.cell").forEach(function (cell) {
  var code = cell.querySelector("pre.code code"), label = cell.querySelector(".cell-label");
  if (!code || !label || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-code";
  button.textContent = "copy";
  button.setAttribute("aria-live", "polite");
  button.setAttribute("aria-label", "copy the code of " + label.textContent.split(" · ")[0]);
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent).then(function () {
      button.textContent = "copied";
      setTimeout(function () { button.textContent = "copy"; }, 2000);
    }, function () { button.textContent = "copy failed"; });
  });
  label.appendChild(button);
});

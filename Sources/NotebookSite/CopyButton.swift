/// The copy button on every cell's code: a progressive enhancement, added by a small script, so
/// a page without script reads the same and has no dead button.
enum CopyButton {
    /// The script's file name in the site.
    static let name = "copy.js"

    /// Adds a "copy" button to each cell's label that puts the cell's code (all of it, folded or
    /// not) on the clipboard and says so for two seconds; `aria-live` tells a screen reader.
    static let script = """
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

        """
}

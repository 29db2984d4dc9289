// The upload form of a suite page (templates/evaluations/_submit_form.html):
// drag and drop, checks before anything is sent, upload progress.
//
// The form works without this file: it is a plain multipart form, and the
// server checks everything again. With it, a wrong file is refused in the
// browser, HTMX sends the form and reports progress, and a refusal by the
// server replaces the form (errors next to their fields) while the chosen
// file stays selected. Messages come translated from the form's data-msg-*
// attributes; the Content Security Policy allows no inline script.
(() => {
  "use strict";

  const PACKAGE_SUFFIXES = [".zip", ".tar.gz", ".tgz"];
  const PREDICTION_SUFFIXES = [".csv", ".parquet"];
  const FORM = "form[data-upload-form]";
  // The chosen file, put back into the new form after the server refused.
  let chosen = [];

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) =>
      key in values ? String(values[key]) : match,
    );
  }

  function humanSize(bytes) {
    const units = [
      ["GB", 1024 ** 3],
      ["MB", 1024 ** 2],
      ["KB", 1024],
    ];
    for (const [unit, scale] of units) {
      if (bytes >= scale) {
        return `${(bytes / scale).toFixed(1).replace(/\.0$/, "")} ${unit}`;
      }
    }
    return `${bytes} B`;
  }

  function endsWithAny(name, suffixes) {
    const lower = name.toLowerCase();
    return suffixes.some((suffix) => lower.endsWith(suffix));
  }

  // Return why the files cannot be sent, or "" when they can.
  function problemWith(form, files) {
    const data = form.dataset;
    if (files.length === 0) {
      return ""; // the browser's "required" check speaks for itself
    }
    if (files.length > 1) {
      return data.msgOneFile;
    }
    const file = files[0];
    const acceptsPredictions = data.acceptsPredictions === "true";
    let limit;
    if (endsWithAny(file.name, PACKAGE_SUFFIXES)) {
      limit = Number(data.packageMaxBytes);
    } else if (acceptsPredictions && endsWithAny(file.name, PREDICTION_SUFFIXES)) {
      limit = Number(data.predictionsMaxBytes);
    } else {
      const template = acceptsPredictions
        ? data.msgExtensionBoth
        : data.msgExtension;
      return fill(template, { name: file.name });
    }
    if (file.size === 0) {
      return fill(data.msgEmpty, { name: file.name });
    }
    if (file.size > limit) {
      return fill(data.msgTooLarge, {
        name: file.name,
        size: humanSize(file.size),
        limit: humanSize(limit),
      });
    }
    return "";
  }

  // Check the file input, show the result next to it; return the problem.
  function check(form) {
    const input = form.querySelector("input[type=file]");
    const error = form.querySelector("[data-client-error]");
    const status = form.querySelector("[data-file-status]");
    const files = Array.from(input.files);
    const problem = problemWith(form, files);
    error.textContent = problem;
    error.hidden = !problem;
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    input.setCustomValidity(problem);
    status.textContent =
      !problem && files.length === 1
        ? fill(form.dataset.msgSelected, {
            name: files[0].name,
            size: humanSize(files[0].size),
          })
        : "";
    return problem;
  }

  function setFiles(input, files) {
    const transfer = new DataTransfer();
    for (const file of files) {
      transfer.items.add(file);
    }
    input.files = transfer.files;
  }

  function showProgress(form, text, percent) {
    const box = form.querySelector("[data-upload-progress]");
    if (!box) {
      return;
    }
    box.hidden = text === null;
    if (percent !== undefined) {
      box.querySelector("progress").value = percent;
    }
    box.querySelector("span").textContent = text || "";
  }

  document.addEventListener("change", (event) => {
    const form = event.target.closest(FORM);
    if (form && event.target.type === "file") {
      chosen = Array.from(event.target.files);
      check(form);
    }
  });

  // Drag and drop onto the zone around the file input.
  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (event) => {
      const zone = event.target.closest?.("[data-dropzone]");
      if (zone && event.dataTransfer) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        zone.classList.add("dragging");
      }
    });
  }
  document.addEventListener("dragleave", (event) => {
    const zone = event.target.closest?.("[data-dropzone]");
    if (zone && !zone.contains(event.relatedTarget)) {
      zone.classList.remove("dragging");
    }
  });
  document.addEventListener("drop", (event) => {
    const zone = event.target.closest?.("[data-dropzone]");
    const form = zone?.closest(FORM);
    if (!form || !event.dataTransfer) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("dragging");
    chosen = Array.from(event.dataTransfer.files);
    setFiles(form.querySelector("input[type=file]"), chosen);
    check(form);
  });

  // Checks before upload. Capture phase: this runs before HTMX's own
  // submit handler on the form, and stops the event from reaching it.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target.closest(FORM);
      if (form && check(form)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        form.querySelector("input[type=file]").focus();
      }
    },
    true,
  );

  // Upload progress, reported by HTMX while it sends the form.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.target.closest?.(FORM);
    if (form) {
      showProgress(form, fill(form.dataset.msgUploading, { percent: "0 %" }), 0);
    }
  });
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target.closest?.(FORM);
    const { loaded, total } = event.detail;
    if (form && total) {
      const percent = Math.round((100 * loaded) / total);
      const text =
        percent >= 100
          ? form.dataset.msgChecking
          : fill(form.dataset.msgUploading, { percent: `${percent} %` });
      showProgress(form, text, percent);
    }
  });
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.target.closest?.(FORM);
    if (form) {
      showProgress(form, form.dataset.msgNetwork);
    }
  });

  // The server refused the upload (400): show its form, errors included,
  // instead of HTMX's default of ignoring error responses.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target?.id === "submit-panel") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Fired on the new content (the old target has left the document).
  document.addEventListener("htmx:afterSwap", (event) => {
    const root = event.target;
    const form = root.matches?.(FORM) ? root : root.querySelector?.(FORM);
    if (form && chosen.length) {
      setFiles(form.querySelector("input[type=file]"), chosen);
      check(form);
    }
  });
})();

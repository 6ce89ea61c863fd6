// The simulator's few behaviours htmx does not cover: picking a suggested certificate and adding or
// removing SI rows without a page load. Without JavaScript the same buttons submit the form instead.
(function () {
  "use strict";
  var form = document.getElementById("sim-form");
  if (!form || !window.htmx) return;

  function recompute() {
    htmx.trigger(form, "recompute");
  }

  function renumber() {
    var rows = form.querySelectorAll("#si-periods tbody tr");
    rows.forEach(function (row, i) {
      var max = row.querySelector('input[name="si_max"]');
      if (max) max.value = String(i);
      row.querySelectorAll("input[id], label[for]").forEach(function (el) {
        var attr = el.tagName === "LABEL" ? "for" : "id";
        el.setAttribute(attr, el.getAttribute(attr).replace(/_[^_]+$/, "_" + i));
      });
      var remove = row.querySelector(".remove-row");
      if (remove) {
        remove.value = String(i);
        remove.setAttribute("aria-label", "删除第 " + (i + 1) + " 段");
      }
    });
  }

  form.addEventListener("click", function (event) {
    var target = event.target.closest("button, [data-id]");
    if (!target) return;

    if (target.id === "add-row") {
      event.preventDefault();
      var tbody = form.querySelector("#si-periods tbody");
      var index = tbody.querySelectorAll("tr").length;
      var html = document.getElementById("period-row-template").innerHTML.replace(/__i__/g, String(index));
      tbody.insertAdjacentHTML("beforeend", html);
      renumber();
      var first = tbody.lastElementChild.querySelector("input");
      if (first) first.focus();
      return;
    }

    if (target.classList.contains("remove-row")) {
      event.preventDefault();
      var row = target.closest("tr");
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      var focus = next ? next.querySelector("input") : form.querySelector("#add-row");
      if (focus) focus.focus();
      recompute();
      return;
    }

    if (target.closest("#cert-suggestions") && target.dataset.id) {
      event.preventDefault();
      var search = form.querySelector("#id_q");
      htmx
        .ajax("GET", "/certificate?certificate=" + encodeURIComponent(target.dataset.id), {
          target: "#cert-detail",
          swap: "outerHTML",
        })
        .then(function () {
          var box = document.getElementById("cert-suggestions");
          if (box) box.innerHTML = "";
          if (search) search.value = "";
          var first = document.querySelector("#cert-detail input[type=checkbox]");
          (first || search).focus();
          recompute();
        });
    }
  });

  // The checklist's ticks are not stored: keep them while the result is re-rendered around them.
  var ticked = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "result") return;
    ticked = Array.prototype.map.call(document.querySelectorAll("#materials input[type=checkbox]:checked"), function (box) {
      return box.id;
    });
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    if (!ticked) return;
    ticked.forEach(function (id) {
      var box = document.getElementById(id);
      if (box) box.checked = true;
    });
    ticked = null;
  });

  // Field messages arrive out of band with each result; keep aria-invalid (and the red outline) in step.
  document.body.addEventListener("htmx:afterSettle", function () {
    form.querySelectorAll('[id^="err-"]').forEach(function (message) {
      var bad = message.textContent.trim() !== "";
      form.querySelectorAll('[aria-describedby~="' + message.id + '"]').forEach(function (field) {
        if (bad) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      });
    });
  });

  // 封顶: the amount box shows "max" and stays submitted (readonly, not disabled) so rows stay aligned.
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "si_max") return;
    var base = box.closest("td").querySelector('input[name="si_base"]');
    if (!base) return;
    if (box.checked) {
      base.dataset.amount = base.value === "max" ? "" : base.value;
      base.value = "max";
      base.readOnly = true;
    } else {
      base.value = base.dataset.amount || "";
      base.readOnly = false;
    }
  });
})();

// 复制链接: copy the shared link (the result and the shared page both load this file).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var input = document.getElementById(button.dataset.copy);
  var status = document.getElementById("copy-status");
  input.select();
  var done = function () { if (status) status.textContent = "已复制。"; };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done, function () {
      if (status) status.textContent = "请手动复制上面的链接。";
    });
  } else {
    document.execCommand("copy");
    done();
  }
});

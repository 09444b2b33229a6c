// Live character counter: the field and limit depend on the chosen account's platform. The limits and
// the (translated) counter texts come from the page: two JSON data blocks and the form's data- attributes.
(function () {
  const form = document.getElementById("post-form");
  if (!form) { return; }
  const counters = JSON.parse(document.getElementById("platform-counters").textContent);
  const platforms = JSON.parse(document.getElementById("account-platforms").textContent);
  const hashtagLimit = Number(form.dataset.hashtagLimit);
  const account = form.elements["account"];
  const fmt = { chars: form.dataset.charsFormat, tags: form.dataset.tagsFormat };
  const say = (template, count, limit) => template.replace("{count}", count).replace("{limit}", limit);
  function hashtagCount() {
    const found = new Set((form.elements["body"].value.match(/#[\p{L}\p{N}_]+/gu) || []).map(t => t.toLowerCase()));
    form.elements["hashtags"].value.split(/[\s,;]+/).filter(Boolean)
      .forEach(t => found.add("#" + t.replace(/^#+/, "").toLowerCase()));
    return found.size;
  }
  function update() {
    const platform = platforms[account.value] || "";
    const rule = counters[platform];
    ["title", "body", "hashtags"].forEach(name => {
      const out = document.getElementById("counter-" + name);
      if (out) { out.textContent = ""; out.classList.remove("counter-over"); }
    });
    if (rule) {
      const out = document.getElementById("counter-" + rule.field);
      // Same as the server: surrounding spaces are dropped, a line break is one character.
      const count = [...form.elements[rule.field].value.trim()].length;
      out.textContent = say(fmt.chars, count, rule.limit);
      out.classList.toggle("counter-over", count > rule.limit);
    }
    if (platform === "instagram") {
      const out = document.getElementById("counter-hashtags");
      const count = hashtagCount();
      out.textContent = say(fmt.tags, count, hashtagLimit);
      out.classList.toggle("counter-over", count > hashtagLimit);
    }
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();

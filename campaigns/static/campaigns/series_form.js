// Show the date fields that matter for the chosen cadence (all stay in the form, so nothing is lost).
(function () {
  const cadence = document.getElementById("id_cadence");
  if (!cadence) { return; }
  function sync() {
    const listed = cadence.value === "dates";
    document.querySelectorAll(".js-dates-only").forEach((el) => el.classList.toggle("d-none", !listed));
    document.querySelectorAll(".js-range-only").forEach((el) => el.classList.toggle("d-none", listed));
  }
  cadence.addEventListener("change", sync);
  sync();
})();

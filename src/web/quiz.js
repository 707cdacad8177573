// The attempt page's enhancements (the page works without them): the time left counts down
// every second from the server's figure, and a changed answer is saved at once with the
// page's own form (a fetch of the same POST the Save button sends). The server keeps the
// time: whatever this script shows, a save after the end plus the grace period is refused.

const left = document.getElementById("time-left");
if (left) {
  const end = Date.now() + Number(left.dataset.seconds) * 1000;
  const show = () => {
    const s = Math.max(0, Math.round((end - Date.now()) / 1000));
    const m = Math.floor(s / 60);
    left.textContent = m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
    if (s === 0) {
      left.textContent = "time is up";
      clearInterval(timer);
    }
  };
  const timer = setInterval(show, 1000);
}

const form = document.querySelector("form.attempt");
if (form) {
  let pending = null;
  const save = () => {
    const data = new URLSearchParams(new FormData(form));
    data.set("to", form.dataset.page);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(() => form.classList.add("saved"))
      .catch(() => form.classList.remove("saved"));
  };
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(save, 300);
  });
}

// paideia's text editor: a formatting toolbar, pictures and files pasted, dropped or picked
// into the text, and a preview in place, for every <textarea data-editor="<format select id>">.
// Progressive enhancement: without this script the same form works as it is (a text box, a
// file input, a Preview button that posts the form). Hand-written, no dependencies, no build.
// The Content-Security-Policy allows no inline script or style: this file sets classes and
// attributes only.

const FORMATS = {
  markdown: {
    bold: { wrap: ["**", "**"], placeholder: "bold text" },
    italic: { wrap: ["*", "*"], placeholder: "italic text" },
    heading: { prefix: () => "## ", placeholder: "Heading" },
    bullets: { prefix: () => "- ", placeholder: "item" },
    numbers: { prefix: (i) => `${i + 1}. `, placeholder: "item" },
    code: { wrap: ["`", "`"], block: ["```\n", "\n```"], placeholder: "code" },
    link: (text, url) => `[${text}](${url})`,
    picture: (alt, name) => `![${alt}](${name})`,
    file: (name) => `[${name}](${name})`,
    table: "| Column 1 | Column 2 |\n| --- | --- |\n| Cell | Cell |\n",
  },
  html: {
    bold: { wrap: ["<strong>", "</strong>"], placeholder: "bold text" },
    italic: { wrap: ["<em>", "</em>"], placeholder: "italic text" },
    heading: { wrap: ["<h2>", "</h2>"], placeholder: "Heading" },
    bullets: { list: "ul", placeholder: "item" },
    numbers: { list: "ol", placeholder: "item" },
    code: { wrap: ["<code>", "</code>"], block: ["<pre><code>", "</code></pre>"], placeholder: "code" },
    link: (text, url) => `<a href="${url}">${text}</a>`,
    picture: (alt, name) => `<img src="${name}" alt="${alt}">`,
    file: (name) => `<a href="${name}">${name}</a>`,
    table: "<table>\n<tr><th>Column 1</th><th>Column 2</th></tr>\n<tr><td>Cell</td><td>Cell</td></tr>\n</table>\n",
  },
};

const BUTTONS = [
  ["heading", "Heading", null],
  ["bold", "Bold", "b"],
  ["italic", "Italic", "i"],
  ["bullets", "List", null],
  ["numbers", "Numbered list", null],
  ["link", "Link", "k"],
  ["table", "Table", null],
  ["attach", "Picture or file", null],
  ["code", "Code", null],
  ["preview", "Preview", null],
];

/** A file name that needs no escaping in Markdown or HTML. */
function safeName(name) {
  const cleaned = name.replace(/[\s()<>[\]"'`#?%\\/]+/g, "-").replace(/^[-.]+/, "");
  return cleaned || "file";
}

/** `name`, or `stem-2.ext`, `stem-3.ext`… so that no name in `taken` is used twice. */
function uniqueName(name, taken) {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Replaces the selection, keeping the browser's undo, and selects [from, to) of `text`. */
function insert(textarea, text, from = text.length, to = from) {
  const start = textarea.selectionStart;
  textarea.focus();
  if (!document.execCommand("insertText", false, text)) {
    textarea.setRangeText(text, start, textarea.selectionEnd, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  textarea.setSelectionRange(start + from, start + to);
}

/** A block at the caret, after a blank line so that Markdown does not continue the
 * paragraph or list item above into it. */
function insertBlock(textarea, block) {
  const before = textarea.value.slice(0, textarea.selectionStart);
  const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  insert(textarea, `${lead}${block}\n`);
}

class Editor {
  constructor(textarea) {
    this.textarea = textarea;
    this.form = textarea.form;
    this.format = document.getElementById(textarea.dataset.editor);
    this.input = this.form.querySelector("input[type=file][name=attachments]");
    this.saved = new Set(
      [...this.form.querySelectorAll("fieldset.attachments li[data-name]")].map((li) => li.dataset.name),
    );
    try {
      // A text without attachments (its form has no file input): no picking or pasting files.
      this.pending = this.input ? new DataTransfer() : null;
    } catch {
      this.pending = null; // an old browser: the form's own file input still works
    }
    this.buildToolbar();
    this.buildPreview();
    this.listenForFiles();
    textarea.addEventListener("keydown", (e) => this.shortcut(e));
  }

  get rules() {
    return FORMATS[this.format && this.format.value === "html" ? "html" : "markdown"];
  }

  buildToolbar() {
    const bar = document.createElement("div");
    bar.className = "toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", this.textarea.id);
    this.buttons = {};
    for (const [action, label, key] of BUTTONS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.action = action;
      button.textContent = label;
      if (key) button.setAttribute("aria-keyshortcuts", `Control+${key.toUpperCase()}`);
      if (action === "preview") button.setAttribute("aria-pressed", "false");
      if (action === "attach" && !this.pending) continue;
      button.addEventListener("click", () => this.run(action));
      bar.append(button);
      this.buttons[action] = button;
    }
    this.textarea.before(bar);
    this.toolbar = bar;
  }

  buildPreview() {
    this.previewBox = document.createElement("div");
    this.previewBox.className = "content preview-box";
    this.previewBox.id = `${this.textarea.id}-preview`;
    this.previewBox.setAttribute("aria-live", "polite");
    this.previewBox.hidden = true;
    this.textarea.after(this.previewBox);
    // The form's own Preview button previews in place instead of reloading the page.
    const formButton = this.form.querySelector("button[name=preview]");
    if (formButton) {
      formButton.addEventListener("click", (e) => {
        e.preventDefault();
        this.showPreview();
      });
    }
  }

  shortcut(e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const hit = BUTTONS.find(([, , key]) => key === e.key.toLowerCase());
    if (hit) {
      e.preventDefault();
      this.run(hit[0]);
    }
  }

  run(action) {
    if (action === "preview") return this.previewing ? this.showText() : this.showPreview();
    if (this.previewing) this.showText();
    if (action === "attach") return this.pick();
    if (action === "link") return this.link();
    if (action === "table") return insertBlock(this.textarea, this.rules.table);
    const rule = this.rules[action];
    const ta = this.textarea;
    const selected = ta.value.slice(ta.selectionStart, ta.selectionEnd);
    if (rule.prefix || rule.list) return this.lines(rule);
    const [open, close] = rule.block && selected.includes("\n") ? rule.block : rule.wrap;
    const inner = selected || rule.placeholder;
    insert(ta, open + inner + close, open.length, open.length + inner.length);
  }

  /** Prefixes each selected line (Markdown lists, headings) or wraps them in a list (HTML). */
  lines(rule) {
    const ta = this.textarea;
    const start = ta.selectionStart === 0 ? 0 : ta.value.lastIndexOf("\n", ta.selectionStart - 1) + 1;
    let end = ta.value.indexOf("\n", ta.selectionEnd);
    if (end === -1) end = ta.value.length;
    ta.setSelectionRange(start, end);
    const items = (ta.value.slice(start, end) || rule.placeholder).split("\n");
    const text = rule.list
      ? `<${rule.list}>\n${items.map((l) => `<li>${l}</li>`).join("\n")}\n</${rule.list}>`
      : items.map((l, i) => rule.prefix(i) + l).join("\n");
    insert(ta, text);
  }

  link() {
    const ta = this.textarea;
    const text = ta.value.slice(ta.selectionStart, ta.selectionEnd) || "link text";
    const url = window.prompt("Link to (a web address, or an attached file's name):", "https://");
    if (url === null || url.trim() === "") return;
    const made = this.rules.link(text, url.trim());
    insert(ta, made);
  }

  pick() {
    const picker = document.createElement("input");
    picker.type = "file";
    picker.multiple = true;
    picker.hidden = true;
    picker.addEventListener("change", () => {
      this.addFiles([...picker.files]);
      picker.remove();
    });
    document.body.append(picker);
    picker.click();
  }

  listenForFiles() {
    if (!this.pending) return;
    const ta = this.textarea;
    ta.addEventListener("paste", (e) => {
      const files = [...((e.clipboardData && e.clipboardData.files) || [])];
      if (files.length === 0) return;
      e.preventDefault();
      this.addFiles(files);
    });
    ta.addEventListener("dragover", (e) => {
      if (![...e.dataTransfer.types].includes("Files")) return;
      e.preventDefault();
      ta.classList.add("dropping");
    });
    ta.addEventListener("dragleave", () => ta.classList.remove("dropping"));
    ta.addEventListener("drop", (e) => {
      ta.classList.remove("dropping");
      const files = [...e.dataTransfer.files];
      if (files.length === 0) return;
      e.preventDefault();
      this.addFiles(files);
    });
    if (this.input) {
      // Files chosen with the form's own input join the others (a new choice would replace them).
      this.input.addEventListener("change", () => {
        const chosen = [...this.input.files].filter((f) => !this.pendingNames().has(f.name));
        this.addFiles(chosen);
      });
    }
    this.pendingList = document.createElement("ul");
    this.pendingList.className = "pending";
    this.pendingList.setAttribute("aria-live", "polite");
    (this.input || ta).after(this.pendingList);
  }

  pendingNames() {
    return new Set([...this.pending.files].map((f) => f.name));
  }

  /** Adds files to the form (renamed so that each name is new: a file saved under the same
   * name would be replaced) and names them in the text. */
  addFiles(files) {
    const taken = new Set([...this.saved, ...this.pendingNames()]);
    const snippets = [];
    for (const file of files) {
      const name = uniqueName(safeName(file.name === "image.png" ? "pasted-image.png" : file.name), taken);
      taken.add(name);
      this.pending.items.add(name === file.name ? file : new File([file], name, { type: file.type }));
      const alt = name.replace(/\.[^.]*$/, "").replace(/[-_]+/g, " ");
      snippets.push(file.type.startsWith("image/") ? this.rules.picture(alt, name) : this.rules.file(name));
    }
    if (this.input) this.input.files = this.pending.files;
    this.showPending();
    if (snippets.length) insertBlock(this.textarea, snippets.join("\n"));
  }

  removePending(name) {
    const kept = new DataTransfer();
    for (const f of this.pending.files) if (f.name !== name) kept.items.add(f);
    this.pending = kept;
    if (this.input) this.input.files = kept.files;
    this.showPending();
  }

  showPending() {
    this.pendingList.replaceChildren();
    for (const file of this.pending.files) {
      const item = document.createElement("li");
      item.textContent = `${file.name}, ${Math.max(1, Math.round(file.size / 1024))} KiB, saved with the text `;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${file.name}`);
      remove.addEventListener("click", () => this.removePending(file.name));
      item.append(remove);
      this.pendingList.append(item);
    }
  }

  /** Asks the server to render the text as it would be saved, then shows it in place. */
  async showPreview() {
    const data = new FormData(this.form);
    data.delete("attachments");
    data.set("preview", "true");
    let content = null;
    let status = "";
    try {
      const response = await fetch(this.form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" });
      status = `${response.status}`;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      content = page.getElementById("preview-content");
    } catch (e) {
      status = e.message;
    }
    if (content) {
      this.previewBox.replaceChildren(...[...content.childNodes].map((n) => document.importNode(n, true)));
      await this.showPendingPictures();
    } else {
      this.previewBox.textContent = `The preview could not be made (${status}); the text is unchanged.`;
    }
    this.previewing = true;
    this.textarea.hidden = true;
    this.previewBox.hidden = false;
    this.buttons.preview.textContent = "Back to writing";
    this.buttons.preview.setAttribute("aria-pressed", "true");
    this.buttons.preview.focus();
  }

  /** Pictures not saved yet are shown from the files waiting in the form. */
  async showPendingPictures() {
    if (!this.pending) return;
    const byName = new Map([...this.pending.files].map((f) => [f.name, f]));
    for (const img of this.previewBox.querySelectorAll("img")) {
      const file = byName.get(decodeURIComponent(img.getAttribute("src") || ""));
      if (!file) continue;
      img.src = await new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.readAsDataURL(file);
      });
    }
  }

  showText() {
    this.previewing = false;
    this.previewBox.hidden = true;
    this.textarea.hidden = false;
    this.buttons.preview.textContent = "Preview";
    this.buttons.preview.setAttribute("aria-pressed", "false");
    this.textarea.focus();
  }
}

for (const textarea of document.querySelectorAll("textarea[data-editor]")) {
  new Editor(textarea);
}

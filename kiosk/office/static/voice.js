// The pack editor's voice recorder: next to each text, Record / Stop / Listen / Keep / Redo
// with the browser's microphone (MediaRecorder). A finished recording goes to the office
// at once (POST /packs/voice), which makes it into the kiosk's Ogg Vorbis and answers with
// the clip's sha256; Listen plays that clip from the office, so the librarian hears exactly
// what the kiosks will play. Keep puts the sha256 in the text's hidden field (voice_<field>),
// which the form sends with the texts; Redo records again, Remove drops the kept clip.
// The page's markup and messages: kiosk/office/templates/voice_field.html.
"use strict";

(function () {
  const setup = document.getElementById("voice-setup");
  if (!setup) {
    return;
  }
  const say = setup.dataset;
  const maxSeconds = Number(say.maxSeconds) || 20;
  const canRecord = Boolean(
    window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia
  );
  let active = null; // the recorder that holds the microphone now
  // The recorder hands over its sound every SLICE_MS, so the page knows how much it has.
  const SLICE_MS = 250;

  function preferredType() {
    // The office reads WebM and Ogg; Chromium records WebM/Opus, Firefox Ogg/Opus.
    for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"]) {
      if (MediaRecorder.isTypeSupported(type)) {
        return type;
      }
    }
    return "";
  }

  function recorderFor(box) {
    const kept = box.querySelector("input[type=hidden]");
    const status = box.querySelector(".voice-status");
    const buttons = {};
    for (const button of box.querySelectorAll("button[data-voice]")) {
      buttons[button.dataset.voice] = button;
    }
    const text = document.getElementById(box.dataset.field);
    const player = new Audio();
    let pending = ""; // a converted clip not kept yet
    let chunks = [];
    let media = null;
    let timer = 0;

    function show(names, message) {
      for (const [name, button] of Object.entries(buttons)) {
        button.hidden = !names.includes(name);
      }
      if (message !== undefined) {
        status.textContent = message;
      }
      box.dataset.state = names.join(" ");
    }

    function idle(message) {
      show(kept.value ? ["listen", "redo", "remove"] : ["record"], message);
    }

    async function start() {
      if (active && active !== stop) {
        active();
      }
      player.pause();
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        idle(say.denied);
        return;
      }
      chunks = [];
      const type = preferredType();
      media = new MediaRecorder(stream, type ? { mimeType: type } : {});
      media.addEventListener("dataavailable", (event) => {
        if (event.data && event.data.size) {
          chunks.push(event.data);
          box.dataset.recordedMs = String(chunks.length * SLICE_MS);
        }
      });
      media.addEventListener("stop", () => {
        for (const track of stream.getTracks()) {
          track.stop();
        }
        send(new Blob(chunks, { type: media.mimeType || "audio/webm" }));
      });
      box.dataset.recordedMs = "0";
      media.start(SLICE_MS);
      active = stop;
      // A clip says one text: stop by itself at the kiosk's limit.
      timer = window.setTimeout(stop, maxSeconds * 1000 - 200);
      show(["stop"], say.recording);
    }

    function stop() {
      window.clearTimeout(timer);
      if (media && media.state !== "inactive") {
        media.stop();
      }
      if (active === stop) {
        active = null;
      }
    }

    async function send(blob) {
      show([], say.working);
      const form = new FormData();
      form.append("csrf_token", say.csrf);
      form.append("recording", blob, "recording");
      let answer = null;
      try {
        const response = await fetch(say.upload, {
          method: "POST",
          body: form,
          credentials: "same-origin",
        });
        answer = await response.json();
      } catch (error) {
        answer = { detail: say.failed };
      }
      if (!answer.clip) {
        pending = "";
        idle(answer.detail || say.failed);
        return;
      }
      pending = answer.clip;
      box.dataset.seconds = answer.seconds;
      show(["listen", "keep", "redo"], say.ready);
    }

    function listen() {
      const clip = pending || kept.value;
      if (clip) {
        player.src = "/packs/voice/" + clip + ".ogg";
        player.play().catch(() => {});
      }
    }

    function keep() {
      kept.value = pending;
      pending = "";
      idle(say.kept.replace("%(seconds)s", box.dataset.seconds || "?"));
    }

    function remove() {
      player.pause();
      kept.value = "";
      pending = "";
      idle(say.removed);
    }

    buttons.record.addEventListener("click", start);
    buttons.redo.addEventListener("click", start);
    buttons.stop.addEventListener("click", stop);
    buttons.listen.addEventListener("click", listen);
    buttons.keep.addEventListener("click", keep);
    buttons.remove.addEventListener("click", remove);
    if (text) {
      text.addEventListener("input", () => {
        if (kept.value) {
          status.textContent = say.changed;
        }
      });
    }
    idle();
  }

  if (!canRecord) {
    // Said once above the texts; the clips kept before stay in the form.
    setup.textContent = say.noMicrophone;
    setup.hidden = false;
    return;
  }
  for (const box of document.querySelectorAll(".voice[data-field]")) {
    box.hidden = false;
    recorderFor(box);
  }
})();

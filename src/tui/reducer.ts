// Every change to the TUI's state goes through here: keys (see on-key.ts), window size, progress,
// the server, and the check runs as they stream.
import { onKey } from "./on-key.js";
import { applyEvent, failedRun, finishedRun, startedRun } from "./run-view.js";
import { clampEx, clampScroll, exerciseView, flash, refocus, type Action, type Env, type State } from "./state.js";

export function reducer(env: Env) {
  return (s: State, a: Action): State => {
    switch (a.type) {
      case "key":
        return onKey(s, env, a.input, a.key);
      case "resize": {
        const next = { ...s, cols: a.cols, rows: a.rows };
        return { ...next, scroll: clampScroll(next, env, next.scroll), block: refocus(next, env) };
      }
      case "effects-done":
        return { ...s, effects: s.effects.filter((e) => e.seq > a.upTo) };
      case "progress": {
        // Position fields are ours (saved on a debounce); exercises and workspace come from the file.
        const progress = { ...a.progress, lastLesson: s.progress.lastLesson, lastPage: s.progress.lastPage };
        const next = { ...s, progress };
        if (a.reveal === "hint") {
          const view = exerciseView(next, env);
          if (view) return { ...next, exScroll: clampEx(next, env, view.lastHintAt - 2) };
        }
        return next;
      }
      case "session":
        // The same facts again (the first frame already had them) change nothing: no redraw.
        if (s.vars.ns === a.namespace.ns && s.vars.NS === a.namespace.NS && s.server?.version === a.server.version && s.server?.jetstream === a.server.jetstream && s.server?.url === a.server.url) return s;
        return { ...s, vars: a.namespace, server: a.server };
      case "program-dir": {
        const next = { ...s, programDirs: { ...s.programDirs, [a.id]: a.info } };
        // "Cannot find your main.ts" is no longer true once the workspace is there: drop that run.
        const run = s.runs[a.id];
        if (a.info.found && run && !run.running && run.problem && run.checks.length === 0) {
          const { [a.id]: _gone, ...runs } = s.runs;
          return { ...next, runs };
        }
        return next;
      }
      case "run-start": {
        const next = { ...s, active: a.id, runs: { ...s.runs, [a.id]: startedRun(a.trigger, a.now) } };
        // Not clamped: the results are about to grow below this line; the panel clamps when drawing.
        const view = exerciseView(next, env);
        return a.id === s.exerciseId && view ? { ...next, exScroll: view.checksAt } : next;
      }
      case "run-event": {
        const run = s.runs[a.id];
        return run ? { ...s, runs: { ...s.runs, [a.id]: applyEvent(run, a.event) } } : s;
      }
      case "run-end": {
        const run = s.runs[a.id] ?? startedRun("key", a.now);
        return { ...s, active: s.active === a.id ? null : s.active, runs: { ...s.runs, [a.id]: finishedRun(run, a.run, a.now) } };
      }
      case "run-fail": {
        const run = s.runs[a.id] ?? startedRun("key", a.now);
        const next = { ...s, active: s.active === a.id ? null : s.active, runs: { ...s.runs, [a.id]: failedRun(run, a.problem, a.now) } };
        const view = exerciseView(next, env);
        return a.id === s.exerciseId && view ? { ...next, exScroll: clampEx(next, env, view.checksAt) } : next;
      }
      case "watch":
        return { ...s, watch: a.id };
      case "flash":
        return flash(s, a.text, a.ms);
      case "flash-clear":
        return s.flash?.id === a.id ? { ...s, flash: null } : s;
    }
  };
}

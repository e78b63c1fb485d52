import type { Msg } from "@nats-io/transport-node";
import type { Check, CheckContext, RequestOutcome } from "../../src/check/types.js";

const METHOD = "thumbs.v1.Render";
const RENDERER = "renderer.v1.Render";
const LIMIT = 3;
const BURST = 9;
/** No new render request for this long means the handler is waiting for a free slot. */
const QUIET_MS = 300;

const urlFor = (m: Msg): string => {
  try {
    const req = m.json<{ image?: unknown; width?: unknown }>();
    return `thumbs/${String(req.image)}-${String(req.width)}.png`;
  } catch {
    return "thumbs/unreadable-request.png";
  }
};

export const checks: Check[] = [
  {
    name: "it answers thumbs.v1.Render with what the renderer returned",
    idea: "A handler can do its work by calling another method: typed requests compose",
    async run(ctx) {
      const seenByRenderer: Msg[] = [];
      const renderer = ctx.nc.subscribe(ctx.subject(RENDERER), {
        callback: (err, m) => {
          if (err) return;
          seenByRenderer.push(m);
          m.respond(JSON.stringify({ url: urlFor(m) }));
        },
      });
      ctx.defer(() => renderer.unsubscribe());
      await ready(ctx);
      const image = `cat-${Math.random().toString(36).slice(2, 7)}.jpg`;
      const want = `thumbs/${image}-160.png`;
      const out = await ctx.request(ctx.subject(METHOD), JSON.stringify({ image, width: 160 }), { timeoutMs: 5000 });
      if (out.kind !== "reply") {
        return ctx.fail({
          expected: `a RenderResult {"url":"${want}"}`,
          seen:
            out.kind === "no-responders"
              ? `no responders on ${METHOD}`
              : `no answer within ${out.afterMs} ms; ${seenByRenderer.length ? `your service did ask ${RENDERER}, and I answered it at once` : `your service never called ${RENDERER}`}`,
          idea: "Every request gets an answer on its reply subject",
          hint: "serve() must respond to every request it takes: respondWith(m, handler) does.",
        });
      }
      let url: unknown;
      try {
        url = out.message.msg.json<{ url?: unknown }>().url;
      } catch {
        url = undefined;
      }
      if (url !== want) {
        return ctx.fail({
          expected: `the renderer's answer {"url":"${want}"}`,
          seen: `${out.message.text}${seenByRenderer.length ? "" : ` (your service never called ${RENDERER})`}`,
          idea: "The handler's result is what the renderer returned",
          hint: "Keep the handler as it was: (req) => renderer.call(nc, req).",
        });
      }
      return `answered ${out.message.text}`;
    },
  },
  {
    name: `a burst of ${BURST} requests: at most ${LIMIT} renders in flight, and every request answered`,
    idea: "A concurrency limit per handler: at most n requests in progress, the rest wait their turn",
    async run(ctx) {
      // The check plays the renderer and holds every render request it gets, so that "in flight"
      // is something it counts itself: asked for, and not yet answered. When no new render request
      // has come for QUIET_MS, the handler is waiting for a slot: the check answers what it holds.
      const held: Msg[] = [];
      let lastArrival = 0;
      let most = 0;
      const waves: number[] = [];
      const renderer = ctx.nc.subscribe(ctx.subject(RENDERER), {
        callback: (err, m) => {
          if (err) return;
          held.push(m);
          lastArrival = Date.now();
          most = Math.max(most, held.length);
        },
      });
      ctx.defer(() => renderer.unsubscribe());
      await ready(ctx);

      const tag = Math.random().toString(36).slice(2, 6);
      const images = Array.from({ length: BURST }, (_, i) => `img-${tag}-${i + 1}.jpg`);
      const outcomes: Array<RequestOutcome | undefined> = images.map(() => undefined);
      const requests = images.map((image, i) =>
        ctx
          .request(ctx.subject(METHOD), JSON.stringify({ image, width: 160 }), { timeoutMs: 15_000 })
          .then((o) => (outcomes[i] = o))
          // After an early verdict the check's connection closes under the requests still waiting.
          .catch(() => (outcomes[i] = { kind: "timeout", afterMs: 0 })),
      );
      const answered = () => outcomes.filter(Boolean).length;
      ctx.progress(`sent ${BURST} requests at once`);

      while (answered() < BURST) {
        const quiet = await ctx.poll(6000, () => (held.length > 0 && Date.now() - lastArrival >= QUIET_MS) || answered() === BURST ? true : undefined);
        if (!quiet || answered() === BURST) break;
        waves.push(held.length);
        ctx.progress(`renders in flight: ${held.length} (most so far: ${most})`);
        if (most > LIMIT) break; // the verdict is in; the rest would only take time
        for (const m of held.splice(0)) m.respond(JSON.stringify({ url: urlFor(m) }));
        // Let the answers reach the service before counting the next wave.
        await ctx.flush();
      }

      const waveText = waves.length ? `renders in flight, wave by wave: ${waves.join(", ")}` : `no render request reached ${RENDERER}`;
      if (most > LIMIT) {
        return ctx.fail({
          expected: `at most ${LIMIT} render requests in flight at any moment`,
          seen: `I sent ${BURST} requests at once, and your service had ${most} renders in flight at once before I answered any (${waveText}). It starts every request the moment it arrives, so a bigger burst means more renders at once, without bound`,
          idea: "A concurrency limit per handler: at most n requests in progress; the others wait in the subscription until a slot frees up",
          hint: "In serve(): await a free slot before taking the next request, and give the slot back when respondWith finishes (a small limiter: a counter plus a queue of waiting resolvers).",
        });
      }
      if (waves.length === 0) {
        return ctx.fail({
          expected: `render requests on ${RENDERER} for the ${BURST} requests I sent`,
          seen: `${answered()} of ${BURST} answered, and no render request reached ${RENDERER}`,
          idea: "The handler does its work through the renderer",
          hint: "Keep the handler as it was: (req) => renderer.call(nc, req).",
        });
      }
      if (most < LIMIT) {
        return ctx.fail({
          expected: `${LIMIT} renders in flight while more requests were waiting`,
          seen: `never more than ${most} at once, though ${BURST} requests were waiting (${waveText}): your service works through them ${most === 1 ? "one at a time" : `${most} at a time`}, and callers wait longer than they need to`,
          idea: "A limit is an upper bound, not a queue of one: use every slot you have",
          hint: "Don't await the whole request inside the loop: await only a free slot, then start respondWith and move on to the next request.",
        });
      }
      await Promise.all(requests);
      const problems = images.flatMap((image, i) => {
        const o = outcomes[i]!;
        if (o.kind !== "reply") return [`${image}: ${o.kind === "timeout" ? "no answer" : "no responders"}`];
        const want = `thumbs/${image}-160.png`;
        return o.message.text.includes(want) ? [] : [`${image}: ${o.message.text}`];
      });
      if (problems.length) {
        return ctx.fail({
          expected: `all ${BURST} requests answered, each with its own image's url`,
          seen: `${waveText}; but ${problems.join("; ")}`,
          idea: "A limit makes requests wait their turn; it must not drop or mix them up",
          hint: "Every request you take from the subscription gets respondWith(m, handler), once a slot is free.",
        });
      }
      return `${waveText}; all ${BURST} answered`;
    },
  },
];

/** Starts the service and waits for its subscription on thumbs.v1.Render. */
async function ready(ctx: CheckContext): Promise<void> {
  await ctx.flush();
  const program = await ctx.startProgram({ waitForSubscriptions: 1 });
  const subs = await ctx.waitForSubscriptions({ subject: ctx.subject(METHOD), count: 1, timeoutMs: 3000 });
  if (subs.length === 0) {
    const theirs = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
    return ctx.fail({
      expected: `your service subscribed to ${METHOD}`,
      seen: theirs.length
        ? `your program subscribes to ${theirs.map((s) => ctx.unprefix(s.subject)).join(", ")}`
        : `no subscription from your program; ${program.isRunning() ? "it is still running" : "it has stopped"}`,
      idea: "One subject per service, version and method: the handler subscribes to service.version.Method",
      hint: "thumbs = defineMethod(\"thumbs\", \"v1\", \"Render\"); thumbs.serve(...) subscribes to it.",
    });
  }
}

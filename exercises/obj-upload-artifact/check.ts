import type { Check, CheckContext } from "../../src/check/types.js";
import type { ObjectInfo } from "@nats-io/obj";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const STORE = "ARTIFACTS";
const STREAM = "BUILDS";
const APPS = ["web", "billing", "search", "mailer", "stock"];

interface Round {
  app: string;
  version: string;
  name: string;
  path: string;
  size: number;
  digest: string;
  reply: string;
  replyKind: "reply" | "timeout" | "no-responders";
  info: ObjectInfo | null;
  others: ObjectInfo[];
  maxPayload: number;
}

export const checks: Check[] = [
  {
    name: "it stores the build in the object store, in chunks, under its name, with metadata",
    idea: "An object store cuts a large payload into chunks (one message each) and keeps a meta record: name, size, digest, metadata",
    async run(ctx) {
      const r = await upload(ctx);
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      const expected = `an object ${r.name} in ${STORE}: ${r.size} bytes, metadata {"app":"${r.app}","version":"${r.version}"}`;
      if (/max_payload|MAX_PAYLOAD|maximum payload/i.test(r.reply)) {
        return ctx.fail({
          expected,
          seen: `your uploader answered "${r.reply}": it tried to send the ${mb(r.size)} build as one message, but a message may be at most max_payload (${mb(r.maxPayload)} on this server). Nothing was stored${r.info ? "" : ` in ${STORE}`}`,
          idea: "One message is at most max_payload (1 MB by default); the object store splits a large payload into chunks",
          hint: "Put the file in the object store: artifacts.put({ name, metadata }, Readable.toWeb(createReadStream(path))). Publish only a small record to the stream.",
        });
      }
      if (!r.info) {
        const same = r.others.find((o) => o.size === r.size || o.digest === r.digest);
        if (same) {
          return ctx.fail({
            expected,
            seen: `the build is stored, but under the name "${same.name}"; nobody looking for ${r.name} will find it`,
            idea: "An object is found by its name, and the name is whatever the uploader gave it, paths and all",
            hint: "Name it `${app}-${version}.tgz`, from the request: not the file's path or the file's own name.",
          });
        }
        return ctx.fail({
          expected,
          seen: `no object ${r.name}${r.others.length ? `; ${STORE} holds ${r.others.map((o) => o.name).join(", ")}` : ` (${STORE} is empty)`}; your uploader answered ${r.replyKind === "reply" ? `"${r.reply}"` : `nothing (${r.replyKind})`}`,
          idea: "An object store keeps named objects; put() stores one",
          hint: "artifacts.put({ name: `${app}-${version}.tgz`, metadata: { app, version } }, stream)",
        });
      }
      if (r.info.size !== r.size || r.info.digest !== r.digest) {
        return ctx.fail({
          expected,
          seen: `${r.name} holds ${r.info.size} bytes with digest ${r.info.digest}; the build has ${r.size} bytes and digest ${r.digest}`,
          idea: "The object store keeps a SHA-256 digest of the whole object, so a reader can tell it got exactly what was stored",
          hint: "Store the file's bytes as they are, all of them (read it from the path in the request).",
        });
      }
      const md = r.info.metadata ?? {};
      if (md.app !== r.app || md.version !== r.version) {
        return ctx.fail({
          expected,
          seen: `${r.name} is stored (${r.info.chunks} chunks), with ${Object.keys(md).length ? `metadata ${JSON.stringify(md)}` : "no metadata"}${r.info.description ? ` and the description "${r.info.description}"` : ""}`,
          idea: "An object's metadata (string keys and values) travels with it: readers, listings and watchers see it without fetching the data",
          hint: "Pass metadata: { app, version } in the meta of put().",
        });
      }
      return `${r.name}: ${mb(r.info.size)} in ${r.info.chunks} chunks of at most ${r.info.options?.max_chunk_size ?? "?"} bytes, digest matches, metadata ${JSON.stringify(md)}`;
    },
  },
  {
    name: "it links the object to a small record in the BUILDS stream",
    idea: "Big bytes in the object store, small records in a stream: readers follow the stream and fetch the object they need",
    async run(ctx) {
      const r = await upload(ctx);
      if (!r.info) {
        return ctx.fail({
          expected: `an object ${r.name} in ${STORE}`,
          seen: `none this time; your uploader answered ${r.replyKind === "reply" ? `"${r.reply}"` : `nothing (${r.replyKind})`}`,
          idea: "The record points to an object, so the object must be there first",
          hint: "Store the object, then publish the record.",
        });
      }
      const jsm = await ctx.jsm();
      const subject = ctx.subject(`builds.${r.app}`);
      const m = await jsm.streams.getMessage(ctx.name(STREAM), { last_by_subj: subject }).catch(() => null);
      const want = { app: r.app, version: r.version, bucket: r.info.bucket, object: r.info.name, size: r.info.size, digest: r.info.digest };
      const expected = `a record on builds.${r.app} in ${STREAM}: ${JSON.stringify(want)}`;
      if (!m) {
        const st = await jsm.streams.info(ctx.name(STREAM)).catch(() => null);
        return ctx.fail({
          expected,
          seen: st?.state.messages ? `${STREAM} holds ${st.state.messages} messages, none on builds.${r.app}` : `${STREAM} is empty`,
          idea: "A record in a stream tells every reader that a new object exists, and where",
          hint: "After put(): await js.publish(`${prefix}builds.${app}`, JSON.stringify(record)).",
        });
      }
      let rec: Record<string, unknown> = {};
      try {
        rec = m.json();
      } catch {
        return ctx.fail({
          expected,
          seen: `a record of ${m.data.length} bytes that is not JSON: "${m.string().slice(0, 80)}"`,
          idea: "A record is small and machine-readable",
          hint: "JSON.stringify({ app, version, bucket, object, size, digest })",
        });
      }
      const wrong = (Object.keys(want) as Array<keyof typeof want>).filter((k) => rec[k] !== want[k]);
      if (wrong.length) {
        return ctx.fail({
          expected,
          seen: `the record ${m.string().slice(0, 300)}: ${wrong.map((k) => `${k} is ${JSON.stringify(rec[k])}, the object's is ${JSON.stringify(want[k])}`).join("; ")}`,
          idea: "The record must let a reader find the object (bucket and name) and trust it (size and digest)",
          hint: "Take bucket, name, size and digest from the ObjectInfo that put() returns.",
        });
      }
      return `builds.${r.app}: a ${m.data.length}-byte record pointing to ${r.info.bucket}/${r.info.name}`;
    },
  },
];

/** Fresh store and stream, a random build on disk, one upload request; returns what the server holds afterwards. */
async function upload(ctx: CheckContext): Promise<Round> {
  const jsm = await ctx.jsm();
  const store = ctx.name(STORE);
  const stream = ctx.name(STREAM);
  await jsm.streams.delete(`OBJ_${store}`).catch(() => {});
  await jsm.streams.delete(stream).catch(() => {});
  ctx.defer(() => jsm.streams.delete(`OBJ_${store}`).catch(() => {}));
  ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
  const os = await ctx.objm().create(store);
  await jsm.streams.add({ name: stream, subjects: [ctx.subject("builds.>")] });

  const app = APPS[Math.floor(Math.random() * APPS.length)];
  const version = `${1 + Math.floor(Math.random() * 3)}.${Math.floor(Math.random() * 20)}.${Math.floor(Math.random() * 10)}`;
  const data = randomBytes(2_000_000 + Math.floor(Math.random() * 1_500_000));
  const dir = mkdtempSync(join(tmpdir(), "goingnats-build-"));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, `${app}-build.tgz`);
  writeFileSync(path, data);
  const digest = `SHA-256=${createHash("sha256").update(data).digest("base64url")}=`;

  const program = await ctx.startProgram();
  const subs = await ctx.waitForSubscriptions({ subject: ctx.subject("artifacts.upload"), count: 1, timeoutMs: 8000 });
  if (!subs.length) {
    const own = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
    ctx.fail({
      expected: "your uploader subscribes to artifacts.upload",
      seen: own.length ? `it subscribes to ${own.map((s) => ctx.unprefix(s.subject)).join(", ")}` : program.isRunning() ? "no subscription" : "it stopped before subscribing",
      idea: "A service receives requests through a subscription on their subject",
      hint: "nc.subscribe(`${prefix}artifacts.upload`) after opening the object store; its output is below.",
    });
  }
  ctx.note(`build ${path}: ${data.length} bytes`);
  const outcome = await ctx.request(ctx.subject("artifacts.upload"), JSON.stringify({ app, version, path }), { timeoutMs: 15_000 });
  const name = `${app}-${version}.tgz`;
  const info = await os.info(name);
  const others = (await os.list()).filter((o) => o.name !== name);
  return {
    app,
    version,
    name,
    path,
    size: data.length,
    digest,
    reply: outcome.kind === "reply" ? outcome.message.text : "",
    replyKind: outcome.kind,
    info,
    others,
    maxPayload: ctx.nc.info?.max_payload ?? 1024 * 1024,
  };
}

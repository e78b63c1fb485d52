// The artifact uploader: stores a build, and records it in the BUILDS stream.
import { readFile } from "node:fs/promises";
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";

// On a shared server goingnats puts your namespace in front of every subject and bucket name.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "artifact uploader" });
const js = jetstream(nc);
const artifacts = await new Objm(nc).open(`${names}ARTIFACTS`);
void artifacts;

const sub = nc.subscribe(`${prefix}artifacts.upload`);
console.log(`uploader listening on ${sub.getSubject()}`);
for await (const m of sub) {
  try {
    const { app, version, path } = m.json<{ app: string; version: string; path: string }>();
    // The stream keeps everything, so keep the build in it.
    // TODO: builds are megabytes. Store the file in the object store `artifacts` instead, as
    //       `${app}-${version}.tgz` with metadata { app, version }, and publish only a small
    //       record that points to it: { app, version, bucket, object, size, digest }.
    const data = await readFile(path);
    await js.publish(`${prefix}builds.${app}`, data);
    m.respond(`stored ${app}-${version}`);
  } catch (err) {
    m.respond(`error: ${(err as Error).message}`);
  }
}

// An operator: it acts on every project a customer orders on projects.create. Run one per
// operator kind and instance: OPERATOR=openstack npx tsx main.ts, OPERATOR=kubernetes npx tsx main.ts
import { connect } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const operator = process.env.OPERATOR ?? "openstack";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: `${operator} operator` });

// One queue group per operator: every operator gets its own copy of each request, and the
// instances of one operator share theirs. (Left out, every service would be in the group "q".)
const svc = await new Svcm(nc).add({
  name: `${namePrefix}${operator}`,
  version: "1.0.0",
  description: `Creates ${operator} resources for new projects`,
  queue: operator,
});

svc.addGroup(`${prefix}projects`).addEndpoint("create", (_err, m) => {
  const project = m.string();
  m.respond(`${operator} created ${project}`);
});
console.log(`${operator} operator in queue group "${operator}", instance ${svc.info().id}`);

await svc.stopped;

// City search: answers each request with the matching cities, one message per city.
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "city search" });

const CITIES = [
  "oslo", "bergen", "trondheim", "stavanger", "drammen", "fredrikstad", "kristiansand",
  "sandnes", "tromsø", "sarpsborg", "skien", "ålesund", "sandefjord", "haugesund",
  "tønsberg", "moss", "porsgrunn", "bodø", "arendal", "hamar",
];

const sub = nc.subscribe(`${prefix}cities.search`);
console.log(`searching ${CITIES.length} cities on ${sub.getSubject()}`);

for await (const m of sub) {
  const text = m.string();
  for (const city of CITIES.filter((c) => c.includes(text))) {
    m.respond(city);
  }
  // TODO: the requester cannot know how many cities will come. Tell it that the answer is complete.
}

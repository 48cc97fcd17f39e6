// The @neo4j/graphql side of Phakhi's national-scale benchmark: Phakhi's
// graph (same Neo4j, same labels and relationship types) served by
// @neo4j/graphql 7 on @apollo/server. Started by `go run ./cmd/phakhi-bench`;
// by hand: NEO4J_URI=bolt://127.0.0.1:7687 PORT=4000 node server.mjs
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const port = Number(process.env.PORT ?? 4000);
const auth = process.env.NEO4J_USER ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? "") : undefined;
const driver = neo4j.driver(uri, auth);
const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");

const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();
if (process.argv.includes("--print-schema")) {
  const { printSchema } = await import("graphql");
  console.log(printSchema(schema));
  await driver.close();
  process.exit(0);
}
const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { port, host: "127.0.0.1" },
  // a transaction timeout, as Phakhi's -query-timeout (15 s)
  context: async () => ({ sessionConfig: { database: process.env.NEO4J_DATABASE ?? "neo4j" }, transaction: { timeout: 15000 } }),
});
console.log(`neo4j-graphql ready at ${url} (Neo4j ${uri})`);
const stop = async () => { await server.stop(); await driver.close(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

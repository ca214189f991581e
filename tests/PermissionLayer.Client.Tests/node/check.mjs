// Wire-contract check: a grpc-js client built from the repository's .proto files (no generated
// .NET code involved) asks PermissionLayer for one decision and prints the response as JSON.
//
//   node check.mjs <address> '<CheckRequest as proto3 JSON>' [<google protos dir>]
//
// <address>: http://host:port (h2c) or https://host:port.
// <google protos dir>: where google/api/annotations.proto lives (decision.proto imports it for JSON
//   transcoding), e.g. ~/.nuget/packages/google.api.commonprotos/<version>/content/protos. Falls back
//   to $PERMISSIONLAYER_GOOGLE_PROTOS. google/protobuf/*.proto ship with protobufjs.
// $PERMISSIONLAYER_API_KEY, when set, is sent as "authorization: Bearer <key>".
//
// Prints the CheckResponse (camelCase fields, enum names, int64 as strings) on stdout and exits 0;
// on a gRPC error prints {"error":{"code":..,"details":..}} and exits 2.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [address, requestJson, googleProtosArg] = process.argv.slice(2);
if (!address || !requestJson) {
  console.error('usage: node check.mjs <address> <request json> [<google protos dir>]');
  process.exit(64);
}
const googleProtos = googleProtosArg ?? process.env.PERMISSIONLAYER_GOOGLE_PROTOS;
if (!googleProtos) {
  console.error('the directory holding google/api/annotations.proto is required (argument 3 or PERMISSIONLAYER_GOOGLE_PROTOS)');
  process.exit(64);
}

// The repository's protos, found from this script's place: tests/PermissionLayer.Client.Tests/node.
const here = path.dirname(fileURLToPath(import.meta.url));
const repoProtos = path.resolve(here, '../../../protos');

const definition = protoLoader.loadSync('permissionlayer/v1/decision.proto', {
  includeDirs: [repoProtos, googleProtos],
  keepCase: false, // camelCase, as proto3 JSON
  enums: String,
  longs: String,
  defaults: true,
  oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).permissionlayer.v1;

const url = new URL(address);
const credentials = url.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
const client = new v1.DecisionService(url.host, credentials);

const metadata = new grpc.Metadata();
if (process.env.PERMISSIONLAYER_API_KEY) {
  metadata.set('authorization', `Bearer ${process.env.PERMISSIONLAYER_API_KEY}`);
}

const request = JSON.parse(requestJson);
client.Check(request, metadata, { deadline: Date.now() + 10_000 }, (error, response) => {
  client.close();
  if (error) {
    console.log(JSON.stringify({ error: { code: grpc.status[error.code] ?? error.code, details: error.details } }));
    process.exit(2);
  }
  console.log(JSON.stringify(response));
});

// Captures the aws-chunked bodies the AWS SDK for JavaScript v3 sends, as fixtures for
// aws_chunked_decoder_test.cpp (the @aws-sdk/client-s3 pinned in tests/integration/js):
//
//   npm ci --prefix tests/integration/js
//   node tests/unit/services/s3/capture_aws_chunked_js.mjs
//
// A real S3Client whose HTTP handler is a fake: it reads the body exactly as the SDK put it on
// the wire and answers 200. The SDK sends a stream body as aws-chunked with a checksum trailer
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER), one aws chunk per piece the stream yields, so a stream
// of small pieces makes chunks below 8192 bytes, which AWS answers with InvalidChunkSizeError.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../../integration/js/package.json"));
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const { HttpResponse } = require("@smithy/core/protocols");

const keep = ["content-encoding", "transfer-encoding", "content-length", "x-amz-content-sha256",
    "x-amz-trailer", "x-amz-decoded-content-length", "x-amz-sdk-checksum-algorithm"];
let captured;
const client = new S3Client({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:4566",
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    requestHandler: {
        async handle(request) {
            const pieces = [];
            for await (const piece of request.body) {
                pieces.push(Buffer.from(piece));
            }
            const headers = {};
            for (const [k, v] of Object.entries(request.headers)) {
                if (keep.includes(k.toLowerCase())) headers[k.toLowerCase()] = v;
            }
            captured = { headers, body: Buffer.concat(pieces) };
            return { response: new HttpResponse({ statusCode: 200, headers: { etag: '"x"' }, body: Readable.from([]) }) };
        },
    },
});

async function capture(name, body, length, algorithm) {
    await client.send(new PutObjectCommand({ Bucket: "b", Key: "k", Body: body, ContentLength: length, ChecksumAlgorithm: algorithm }));
    fs.writeFileSync(path.join(here, "fixtures", `${name}.body`), captured.body);
    fs.writeFileSync(path.join(here, "fixtures", `${name}.headers`),
        Object.keys(captured.headers).sort().map((k) => `${k}: ${captured.headers[k]}\n`).join(""));
    console.log(name, captured.body.length, captured.headers);
}

// Three pieces of a stream: 10000, 10000 and 500 bytes.
const pieces = [Buffer.alloc(10000, "x"), Buffer.alloc(10000, "y"), Buffer.alloc(500, "z")];
await capture("js_put_stream_crc32", Readable.from(pieces), 20500, undefined);
await capture("js_put_stream_crc64nvme", Readable.from(pieces), 20500, "CRC64NVME");
// Pieces of 100 bytes: chunks AWS would refuse.
const small = Array.from({ length: 5 }, (_, i) => Buffer.alloc(100, 97 + i));
await capture("js_put_small_pieces_crc32c", Readable.from(small), 500, "CRC32C");

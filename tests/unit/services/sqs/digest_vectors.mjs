// Regenerates the expected digests of message_digest_test.cpp with the AWS SDK for JavaScript v3
// (the @aws-sdk/client-sqs pinned in tests/integration/js/package-lock.json):
//
//   scripts/install-deps.sh            # or: npm ci --prefix tests/integration/js
//   node tests/unit/services/sqs/digest_vectors.mjs
//
// Every message goes through a real SQSClient whose HTTP handler is a fake: it captures the
// request exactly as the SDK put it on the wire (awsJson1_0, BinaryValue in base64), answers
// with the digests, and the SDK's own SendMessage middleware (@aws-sdk/middleware-sdk-sqs)
// checks MD5OfMessageBody with the SDK's own MD5 (client.config.md5). A wrong digest makes the
// SDK throw, which this script also proves.
//
// The JavaScript SDK (v2 and v3, like the Go SDKs and boto3) checks only the body's digest. The
// attribute digests are therefore encoded here, as AWS documents ("Calculating the MD5 message
// digest for message attributes"), hashed with the SDK's MD5, from the attributes as the SDK
// serialized them; and before anything is printed, that encoder must reproduce digests that
// come from outside this repository: the AWS SDK for Ruby's and for PHP's own test vectors
// (those SDKs do check attribute digests) and a response of the real SQS service.
import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../../integration/js/package.json"));
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const { HttpResponse } = require("@smithy/core/protocols");

// --- the encoding AWS documents, hashed with the SDK's MD5 -----------------------------------

let sdkMd5;  // the hash constructor the SQS client is configured with

async function md5Hex(bytes) {
    const hash = new sdkMd5();
    hash.update(bytes);
    return Buffer.from(await hash.digest()).toString("hex");
}

function lengthPrefixed(bytes) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
}

// attributes: {name: {DataType, StringValue | BinaryValue (Uint8Array)}}
async function md5OfAttributes(attributes) {
    const names = Object.keys(attributes);
    if (names.length === 0) {
        return undefined;
    }
    // By the names' UTF-8 bytes (as the Ruby and PHP SDKs sort); every name below sorts the same
    // by UTF-16 code units (the Java SDK's order).
    names.sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
    const parts = [];
    for (const name of names) {
        const attribute = attributes[name];
        parts.push(lengthPrefixed(Buffer.from(name, "utf8")));
        parts.push(lengthPrefixed(Buffer.from(attribute.DataType, "utf8")));
        if (attribute.StringValue !== undefined) {
            parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attribute.StringValue, "utf8")));
        } else {
            parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(attribute.BinaryValue)));
        }
    }
    return md5Hex(Buffer.concat(parts));
}

// The wire form (BinaryValue in base64) back to values.
function fromWire(attributes) {
    const out = {};
    for (const [name, value] of Object.entries(attributes ?? {})) {
        out[name] = value.BinaryValue !== undefined
            ? { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue, "base64") }
            : { DataType: value.DataType, StringValue: value.StringValue };
    }
    return out;
}

// --- digests from outside this repository that the encoder must reproduce --------------------

const string = (StringValue, DataType = "String") => ({ DataType, StringValue });
const binary = (bytes, DataType = "Binary") => ({ DataType, BinaryValue: Buffer.from(bytes) });

const rubyAttributes = {  // aws-sdk-ruby gems/aws-sdk-sqs/spec/client/verify_checksums_spec.rb
    ccc: string("test"),
    aaa: binary([2, 3, 4]),
    zzz: string("0230.01", "Number"),
    "öther_encodings": string("Tüst"),  // the spec sends ISO-8859-1; the SDK hashes it as UTF-8
};
const suffixed = (attributes, suffix) => Object.fromEntries(Object.entries(attributes)
    .map(([name, value]) => [name, { ...value, DataType: value.DataType + suffix }]));

const known = [
    ["aws-sdk-ruby verify_checksums_spec", rubyAttributes, "756d7f4338696745d063b420a2f7e502"],
    ["aws-sdk-ruby verify_checksums_spec, '.test' labels", suffixed(rubyAttributes, ".test"),
     "5b7ef6c8a8d46001c7cdadaeea917aa4"],
    ["aws-sdk-php SqsClientTest testValidatesMd5OfMessageAttributes", {
        Reference: binary(Buffer.from("ID-1234")),
        Name: string("Bob"),
        LastName: string("Smith", "String.LN"),
        Id: string("3.14", "Number"),
        Test: string("短发"),
        Test2: string("true", "String.短发"),
        name: string("bob"),
        Named: string("true"),
    }, "ee5a4b60facbcc4723c1b5b8baca2593"],
    ["aws-sdk-php SqsClientTest testValidatesMd5OfMessageAttributesExists",
     { Name: string("Bob") }, "0408bb33aa149494a6a4683d58a7133f"],
    // A SendMessage answered by SQS in us-east-1, quoted in aws-sdk-ruby issue #1885.
    ["real SQS response (aws-sdk-ruby issue #1885)", { baz: string("qux") },
     "16bd0283a5b4962721ccd3efe4bc6257"],
];

// --- a real SQSClient over a fake HTTP handler ------------------------------------------------

let answer;        // (wireInput) => response JSON for the next request

const client = new SQSClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:1",  // never contacted: the handler below answers
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: {
        async handle(request) {
            const wire = JSON.parse(new TextDecoder().decode(request.body));  // as the SDK sent it
            const body = JSON.stringify(await answer(wire));
            return {
                response: new HttpResponse({
                    statusCode: 200,
                    headers: { "content-type": "application/x-amz-json-1.0" },
                    body: Readable.from([Buffer.from(body)]),
                }),
            };
        },
    },
});
sdkMd5 = client.config.md5;

async function send(input) {
    answer = async (wire) => ({
        MessageId: "00000000-0000-4000-8000-000000000000",
        MD5OfMessageBody: await md5Hex(Buffer.from(wire.MessageBody, "utf8")),
        MD5OfMessageAttributes: await md5OfAttributes(fromWire(wire.MessageAttributes)),
        MD5OfMessageSystemAttributes: await md5OfAttributes(fromWire(wire.MessageSystemAttributes)),
    });
    // The SDK's middleware throws here when MD5OfMessageBody is not the MD5 of the body it sent.
    const output = await client.send(new SendMessageCommand({ QueueUrl: "http://127.0.0.1:1/000000000000/q", ...input }));
    return {
        MD5OfMessageBody: output.MD5OfMessageBody,
        MD5OfMessageAttributes: output.MD5OfMessageAttributes,
        MD5OfMessageSystemAttributes: output.MD5OfMessageSystemAttributes,
    };
}

async function main() {
    for (const [source, attributes, expected] of known) {
        const actual = await md5OfAttributes(attributes);
        if (actual !== expected) {
            throw new Error(`encoder disagrees with ${source}: ${actual} != ${expected}`);
        }
    }

    // The body check is live: a wrong MD5OfMessageBody must make the SDK throw.
    answer = async () => ({ MessageId: "x", MD5OfMessageBody: "0".repeat(32) });
    const refused = await client.send(new SendMessageCommand({ QueueUrl: "http://127.0.0.1:1/000000000000/q", MessageBody: "x" }))
        .then(() => false, (error) => /InvalidChecksum/.test(String(error)));
    if (!refused) {
        throw new Error("the SDK accepted a wrong MD5OfMessageBody");
    }

    const gif = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff];
    const cases = {
        empty_body: { MessageBody: "" },
        unicode_body: { MessageBody: "héllo wörld — 日本語 🙂" },
        single_string: {
            MessageBody: "hello",
            MessageAttributes: { Greeting: string("Hello, world") },
        },
        number_and_number_float: {
            MessageBody: "hello",
            MessageAttributes: { Count: string("42", "Number"), Ratio: string("3.14159", "Number.float") },
        },
        number_float_alone: {
            MessageBody: "hello",
            MessageAttributes: { Ratio: string("3.14159", "Number.float") },
        },
        binary_and_binary_gif: {
            MessageBody: "hello",
            MessageAttributes: {
                Blob: binary([0x00, 0xff, 0x80, 0x7f, 0x0a, 0xc3, 0x28]),
                Image: binary(gif, "Binary.gif"),
            },
        },
        out_of_order: {  // the SDK sends them in this order; the digest sorts them
            MessageBody: "hello",
            MessageAttributes: {
                zeta: string("last"),
                alpha: string("1", "Number"),
                Zulu: string("capitals sort first"),
                "b.b": binary([1, 2, 3]),
                "b-b": string("hyphen before period"),
            },
        },
        unicode: {
            MessageBody: "hello",
            MessageAttributes: {
                "ünïcode-名前": string("héllo wörld — 日本語 🙂"),
                ascii: string("Grüße", "String.日本"),
            },
        },
        aws_trace_header: {
            MessageBody: "traced",
            MessageSystemAttributes: {
                AWSTraceHeader: string("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
            },
        },
    };
    const out = {};
    for (const [name, input] of Object.entries(cases)) {
        out[name] = await send(input);
    }
    console.log(JSON.stringify(out, null, 2));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});

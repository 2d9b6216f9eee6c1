// Regenerates the expected values of checksums_test.cpp with the AWS SDK for JavaScript v3's own
// checksum implementations (@aws-sdk/checksums, installed with the @aws-sdk/client-s3 pinned in
// tests/integration/js/package-lock.json):
//
//   npm ci --prefix tests/integration/js
//   node tests/unit/services/s3/checksum_vectors.mjs
//
// These are the classes the SDK's flexible-checksums middleware uses to fill and to verify
// x-amz-checksum-* (pure JavaScript ones where the SDK has both, so that no native library we
// might share is involved). Every input is fed to the SDK in 1000-byte pieces as well as whole,
// and the two must agree. Printed as C++ initializers: {algorithm, input name, base64 value}.
//
// The composite (multipart) values follow AWS's "Checking object integrity" page: the checksum
// of the concatenated raw part checksums, base64, then "-" and the part count.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../../integration/js/package.json"));
const s3Require = createRequire(require.resolve("@aws-sdk/client-s3"));
const crc = s3Require("@aws-sdk/checksums/crc");
const sha = s3Require("@aws-sdk/checksums/sha");
const md5 = s3Require("@aws-sdk/checksums/md5");

const algorithms = {
    CRC32: () => new crc.Crc32Js(),
    CRC32C: () => new crc.Crc32cJs(),
    CRC64NVME: () => new crc.Crc64NvmeJs(),
    SHA1: () => new sha.Sha1Js(),
    SHA256: () => new sha.Sha256Js(),
    SHA512: () => new sha.Sha512Js(),
    MD5: () => new md5.Md5Js(),
};

// Must match pattern_bytes() in checksums_test.cpp.
function pattern(size) {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; ++i) {
        out[i] = i % 251;
    }
    return out;
}

const text = (s) => new TextEncoder().encode(s);
const inputs = {
    empty: text(""),
    a: text("a"),
    hello: text("Hello world"),
    check: text("123456789"),
    pattern_1mib: pattern(1 << 20),
};

async function digest(name, bytes, piece) {
    const h = algorithms[name]();
    for (let i = 0; i < bytes.length; i += piece) {
        h.update(bytes.subarray(i, Math.min(bytes.length, i + piece)));
    }
    return await h.digest();
}

const b64 = (bytes) => Buffer.from(bytes).toString("base64");

const lines = [];
for (const name of Object.keys(algorithms)) {
    for (const [input, bytes] of Object.entries(inputs)) {
        const whole = b64(await digest(name, bytes, Math.max(1, bytes.length)));
        const pieces = b64(await digest(name, bytes, 1000));
        if (whole !== pieces) {
            throw new Error(`${name} ${input}: incremental digest differs`);
        }
        lines.push(`    {"${name}", "${input}", "${whole}"},`);
    }
}
console.log("// single values");
console.log(lines.join("\n"));

// Composite: the 1 MiB pattern as parts of 400000, 400000 and the rest.
const whole = inputs.pattern_1mib;
const parts = [whole.subarray(0, 400000), whole.subarray(400000, 800000), whole.subarray(800000)];
console.log("// composite of 3 parts (400000, 400000, rest) of pattern_1mib");
for (const name of Object.keys(algorithms)) {
    const raw = [];
    for (const part of parts) {
        raw.push(...(await digest(name, part, part.length)));
    }
    const composite = b64(await digest(name, Uint8Array.from(raw), raw.length));
    console.log(`    {"${name}", "${composite}-${parts.length}"},`);
}

// The CRC-64/NVME catalogue check value (CRC RevEng: check=0xae8b14860a799888 for "123456789").
const check = Buffer.from(await digest("CRC64NVME", inputs.check, 9)).toString("hex");
if (check !== "ae8b14860a799888") {
    throw new Error(`CRC64NVME check value ${check}`);
}

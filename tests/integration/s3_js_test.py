"""S3 through the AWS SDK for JavaScript v3 (@aws-sdk/client-s3, harness run_js): put (a string,
a stream — which the SDK sends aws-chunked with a trailing CRC32 — and a buffer with a CRC32C
it computes), get (whole, ranged, with checksum validation), head, list, copy, multipart,
delete and batch delete, and the SDK's typed errors. One node process per scenario."""

import unittest

from s3_base import MIN_PART, S3TestCase, checksum_b64, etag_of, multipart_etag

SCENARIO = r"""
const { Readable } = require("stream");
const s3sdk = require("@aws-sdk/client-s3");
const s3 = new s3sdk.S3Client({ forcePathStyle: true });
const Bucket = process.argv[2];
const send = (Command, input) => s3.send(new s3sdk[Command]({ Bucket, ...input }));
const failure = async (promise) => {
  try { await promise; return null; }
  catch (e) { return { name: e.name, status: e.$metadata && e.$metadata.httpStatusCode }; }
};

(async () => {
  const out = {};
  await send("CreateBucketCommand", {});
  out.putString = (await send("PutObjectCommand", {
    Key: "js/hello.txt", Body: "hello from node", ContentType: "text/plain",
    Metadata: { runtime: "node" } })).ETag;

  const streamed = Buffer.alloc(300 * 1024, "s");
  const put = await send("PutObjectCommand", {
    Key: "js/streamed.bin", Body: Readable.from([streamed.subarray(0, 100000),
                                                 streamed.subarray(100000)]),
    ContentLength: streamed.length });
  out.putStream = { etag: put.ETag, crc32: put.ChecksumCRC32 };

  const crcBody = Buffer.from("checksummed by the sdk");
  out.putCrc32c = (await send("PutObjectCommand", {
    Key: "js/crc32c.txt", Body: crcBody, ChecksumAlgorithm: "CRC32C" })).ChecksumCRC32C;

  const got = await send("GetObjectCommand", { Key: "js/hello.txt" });
  out.get = { body: await got.Body.transformToString(), type: got.ContentType,
              metadata: got.Metadata, length: got.ContentLength };
  const ranged = await send("GetObjectCommand", { Key: "js/hello.txt", Range: "bytes=6-9" });
  out.range = { body: await ranged.Body.transformToString(), contentRange: ranged.ContentRange,
                status: ranged.$metadata.httpStatusCode };
  // The SDK validates the checksum of what it reads when asked to.
  const checked = await send("GetObjectCommand", { Key: "js/streamed.bin",
                                                   ChecksumMode: "ENABLED" });
  out.checked = { length: (await checked.Body.transformToByteArray()).length,
                  crc32: checked.ChecksumCRC32 };
  out.head = (await send("HeadObjectCommand", { Key: "js/crc32c.txt" })).ContentLength;

  await send("CopyObjectCommand", { Key: "js/copy dir/ünïcode.txt",
                                    CopySource: `${Bucket}/js/hello.txt` });
  const listed = await send("ListObjectsV2Command", { Prefix: "js/", Delimiter: "/" });
  out.list = { keys: (listed.Contents || []).map((o) => o.Key),
               prefixes: (listed.CommonPrefixes || []).map((p) => p.Prefix) };

  const partOne = Buffer.alloc(Number(process.argv[3]), "1");
  const upload = await send("CreateMultipartUploadCommand", { Key: "js/multipart.bin" });
  const parts = [];
  for (const [PartNumber, Body] of [[1, partOne], [2, Buffer.from("two")]]) {
    const part = await send("UploadPartCommand", { Key: "js/multipart.bin",
                                                   UploadId: upload.UploadId, PartNumber, Body });
    parts.push({ PartNumber, ETag: part.ETag });
  }
  out.multipart = (await send("CompleteMultipartUploadCommand", {
    Key: "js/multipart.bin", UploadId: upload.UploadId, MultipartUpload: { Parts: parts } })).ETag;

  out.missingGet = await failure(send("GetObjectCommand", { Key: "js/absent" }));
  out.missingHead = await failure(send("HeadObjectCommand", { Key: "js/absent" }));
  out.missingBucket = await failure(
    s3.send(new s3sdk.ListObjectsV2Command({ Bucket: "no-such-js-bucket" })));

  await send("DeleteObjectCommand", { Key: "js/hello.txt" });
  const batch = await send("DeleteObjectsCommand", { Delete: { Objects: [
    { Key: "js/streamed.bin" }, { Key: "js/crc32c.txt" }, { Key: "js/multipart.bin" }] } });
  out.batchDeleted = (batch.Deleted || []).map((d) => d.Key).sort();
  const after = await send("ListObjectsV2Command", {});
  out.remaining = (after.Contents || []).map((o) => o.Key);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


class S3JsSdkTest(S3TestCase):

    def test_js_sdk_v3_scenario(self):
        out = self.server.run_js(SCENARIO, "js-bucket", MIN_PART)
        streamed = b"s" * (300 * 1024)
        self.assertEqual(out["putString"], etag_of(b"hello from node"))
        self.assertEqual(out["putStream"], {"etag": etag_of(streamed),
                                            "crc32": checksum_b64("CRC32", streamed)})
        self.assertEqual(out["putCrc32c"], checksum_b64("CRC32C", b"checksummed by the sdk"))
        self.assertEqual(out["get"], {"body": "hello from node", "type": "text/plain",
                                      "metadata": {"runtime": "node"}, "length": 15})
        self.assertEqual(out["range"], {"body": "from", "contentRange": "bytes 6-9/15",
                                        "status": 206})
        # What the SDK streamed arrived decoded, not as aws-chunked framing.
        self.assertEqual(out["checked"], {"length": len(streamed),
                                          "crc32": checksum_b64("CRC32", streamed)})
        self.assertEqual(out["head"], len(b"checksummed by the sdk"))
        self.assertEqual(out["list"], {"keys": ["js/crc32c.txt", "js/hello.txt",
                                                "js/streamed.bin"],
                                       "prefixes": ["js/copy dir/"]})
        self.assertEqual(out["multipart"], multipart_etag([b"1" * MIN_PART, b"two"]))
        self.assertEqual(out["missingGet"], {"name": "NoSuchKey", "status": 404})
        self.assertEqual(out["missingHead"], {"name": "NotFound", "status": 404})
        self.assertEqual(out["missingBucket"], {"name": "NoSuchBucket", "status": 404})
        self.assertEqual(out["batchDeleted"], ["js/crc32c.txt", "js/multipart.bin",
                                               "js/streamed.bin"])
        self.assertEqual(out["remaining"], ["js/copy dir/ünïcode.txt"])
        self.assertEqual(self.body("js-bucket", "js/copy dir/ünïcode.txt"), b"hello from node")


if __name__ == "__main__":
    unittest.main()

"""S3 through the AWS CLI, v1 (python3 -m awscli, on the current botocore) and v2 (Debian's
/usr/bin/aws 2.9): the high-level `s3` commands (mb, ls, cp up and down including a file big
enough to go multipart, sync both ways, rm --recursive) and `s3api` put/get/head with their
errors. Each CLI call costs about a second, so each version runs one scenario and boto3 checks
the state in between."""

import filecmp
import hashlib
import os
import shutil
import tempfile
import unittest

from s3_base import MiB, S3TestCase, etag_of, multipart_etag, random_bytes

# The CLI's default multipart_threshold and multipart_chunksize are both 8 MiB.
CLI_CHUNK = 8 * MiB


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args):
        """Runs an `aws` command that must succeed; answers its stdout."""
        result = self.server.cli(*args, version=self.version, check=False)
        if result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result.stdout

    def s3api(self, *args):
        return self.server.cli("s3api", *args, version=self.version)

    def expect_cli_error(self, marker, *args):
        result = self.server.cli(*args, version=self.version, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(marker, result.stderr)
        return result.stderr

    def write_tree(self, root, files):
        for relative, data in files.items():
            path = os.path.join(root, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)

    def test_s3_commands(self):
        bucket = f"cli-v{self.version}"
        scratch = tempfile.mkdtemp(prefix="awsemu-s3-cli-")
        self.addCleanup(shutil.rmtree, scratch, True)

        self.assertIn(f"make_bucket: {bucket}", self.aws("s3", "mb", f"s3://{bucket}"))
        self.assertIn(bucket, self.aws("s3", "ls"))

        # cp up: a small file (content type guessed from the name) and one that goes multipart.
        small = os.path.join(scratch, "notes.txt")
        with open(small, "wb") as f:
            f.write(b"small file\n")
        big_data = random_bytes(CLI_CHUNK + MiB + 7)
        big = os.path.join(scratch, "big.bin")
        with open(big, "wb") as f:
            f.write(big_data)
        self.aws("s3", "cp", small, f"s3://{bucket}/dir/notes.txt")
        self.aws("s3", "cp", big, f"s3://{bucket}/big.bin")
        head = self.s3.head_object(Bucket=bucket, Key="dir/notes.txt")
        self.assertEqual((head["ETag"], head["ContentType"]),
                         (etag_of(b"small file\n"), "text/plain"))
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="big.bin")["ETag"],
                         multipart_etag([big_data[:CLI_CHUNK], big_data[CLI_CHUNK:]]))

        # cp down.
        down = os.path.join(scratch, "big.down")
        self.aws("s3", "cp", f"s3://{bucket}/big.bin", down)
        with open(down, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(),
                             hashlib.sha256(big_data).hexdigest())

        # sync up, then down into an empty directory.
        tree = {"index.html": b"<h1>home</h1>", "assets/app.js": b"console.log(1)",
                "assets/deep/with space.css": b"body{}", "ünïcode/naïve+plus.txt": b"u"}
        up_dir, down_dir = os.path.join(scratch, "up"), os.path.join(scratch, "down")
        self.write_tree(up_dir, tree)
        self.aws("s3", "sync", up_dir, f"s3://{bucket}/site/")
        self.assertEqual(sorted(self.keys(bucket, Prefix="site/")),
                         sorted(f"site/{name}" for name in tree))
        self.aws("s3", "sync", f"s3://{bucket}/site/", down_dir)
        for name, data in tree.items():
            with open(os.path.join(down_dir, name), "rb") as f:
                self.assertEqual(f.read(), data, name)
        self.assertTrue(filecmp.cmp(os.path.join(up_dir, "index.html"),
                                    os.path.join(down_dir, "index.html"), shallow=False))

        # ls a prefix recursively, then rm it recursively.
        listing = self.aws("s3", "ls", f"s3://{bucket}/site/", "--recursive")
        for name in tree:
            self.assertIn(f"site/{name}", listing)
        removed = self.aws("s3", "rm", f"s3://{bucket}/site/", "--recursive")
        self.assertEqual(removed.count("delete: "), len(tree))
        self.assertEqual(self.keys(bucket), ["big.bin", "dir/notes.txt"])

    def test_s3api_put_get_head_and_errors(self):
        bucket = f"cli-api-v{self.version}"
        self.create_bucket(bucket)
        scratch = tempfile.mkdtemp(prefix="awsemu-s3api-")
        self.addCleanup(shutil.rmtree, scratch, True)
        data = random_bytes(3000)
        source = os.path.join(scratch, "body.bin")
        with open(source, "wb") as f:
            f.write(data)

        put = self.s3api("put-object", "--bucket", bucket, "--key", "api/obj ect.bin",
                         "--body", source, "--content-type", "application/x-cli",
                         "--metadata", "origin=cli,version=two words")
        self.assertEqual(put["ETag"], etag_of(data))

        head = self.s3api("head-object", "--bucket", bucket, "--key", "api/obj ect.bin")
        self.assertEqual((head["ContentLength"], head["ContentType"], head["ETag"]),
                         (len(data), "application/x-cli", etag_of(data)))
        self.assertEqual(head["Metadata"], {"origin": "cli", "version": "two words"})

        target = os.path.join(scratch, "out.bin")
        got = self.s3api("get-object", "--bucket", bucket, "--key", "api/obj ect.bin",
                         "--range", "bytes=0-99", target)
        self.assertEqual(got["ContentRange"], f"bytes 0-99/{len(data)}")
        with open(target, "rb") as f:
            self.assertEqual(f.read(), data[:100])

        self.expect_cli_error("(404)", "s3api", "head-object", "--bucket", bucket, "--key",
                              "absent")
        error = self.expect_cli_error("(NoSuchKey)", "s3api", "get-object", "--bucket", bucket,
                                      "--key", "absent", os.path.join(scratch, "absent"))
        self.assertIn("GetObject", error)


class S3CliV1Test(CliMixin, S3TestCase):
    version = 1


class S3CliV2Test(CliMixin, S3TestCase):
    version = 2


if __name__ == "__main__":
    unittest.main()

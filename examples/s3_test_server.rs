//! The tests' S3-protocol server (s3s over s3s-fs, SigV4 checked) as a program, for scripts
//! that run paideia against S3 outside the test binary (scripts/rolling-upgrade.sh). It prints
//! the environment that points paideia at its bucket, then serves until its standard input
//! closes, and removes its files on the way out.

#[allow(dead_code)]
#[path = "../tests/it/support/s3.rs"]
mod s3;

fn main() {
    let server = s3::S3Server::start();
    for (name, value) in server.env(&server.bucket) {
        println!("{name}={value}");
    }
    // Serve until whoever started us closes our standard input.
    let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
    drop(server);
}

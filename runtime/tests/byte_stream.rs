//! `ByteStream`: construction, reading (collect, chunks), files, equality and redacted Debug.

use std::error::Error as _;

use bytes::Bytes;
use smithy_rust_runtime::capability::byte_stream::{AggregatedBytes, ByteStream};
use smithy_rust_runtime::primitives::Blob;

#[tokio::test]
async fn every_constructor_holds_the_given_bytes() {
    let expected = b"blobby blob blob".to_vec();
    let streams = [
        ByteStream::new(Bytes::from_static(b"blobby blob blob")),
        ByteStream::from_static(b"blobby blob blob"),
        ByteStream::from(expected.clone()),
        ByteStream::from(Bytes::from(expected.clone())),
        ByteStream::from(String::from("blobby blob blob")),
        ByteStream::from("blobby blob blob"),
        ByteStream::from(&b"blobby blob blob"[..]),
        ByteStream::from(Blob::new(expected.clone())),
    ];
    for stream in streams {
        assert_eq!(stream.len(), 16);
        assert_eq!(stream.size_hint(), (16, Some(16)));
        assert_eq!(stream.bytes(), Some(&expected[..]));
        let collected = stream.collect().await.unwrap();
        assert_eq!(collected.to_vec(), expected);
        assert_eq!(collected.as_ref(), &expected[..]);
        assert_eq!(collected.into_bytes(), Bytes::from(expected.clone()));
    }
}

#[tokio::test]
async fn default_is_empty() {
    let stream = ByteStream::default();
    assert!(stream.is_empty());
    assert_eq!(stream.size_hint(), (0, Some(0)));
    let collected = stream.collect().await.unwrap();
    assert!(collected.is_empty());
    assert_eq!(collected, AggregatedBytes::default());
}

#[tokio::test]
async fn chunks_give_the_whole_body_once_then_end() {
    let mut stream = ByteStream::from("abc");
    assert_eq!(stream.next().await.unwrap().unwrap(), Bytes::from("abc"));
    assert!(stream.next().await.is_none());
    assert!(stream.is_empty());

    let mut stream = ByteStream::from(vec![1, 2, 3]);
    assert_eq!(
        stream.try_next().await.unwrap(),
        Some(Bytes::from(vec![1, 2, 3]))
    );
    assert_eq!(stream.try_next().await.unwrap(), None);

    let mut empty = ByteStream::default();
    assert!(empty.next().await.is_none());
}

#[test]
fn equality_compares_bytes_and_clones_are_equal() {
    let a = ByteStream::from("same");
    assert_eq!(a, ByteStream::from(b"same".to_vec()));
    assert_eq!(a.clone(), a);
    assert_ne!(a, ByteStream::from("other"));
    assert_ne!(a, ByteStream::default());
}

#[test]
fn debug_prints_the_length_not_the_contents() {
    let stream = ByteStream::from("secret payload");
    let printed = format!("{stream:?}");
    assert!(!printed.contains("secret"), "{printed}");
    assert!(printed.contains("14"), "{printed}");
    let collected = format!("{:?}", AggregatedBytes::default());
    assert!(collected.contains('0'), "{collected}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_path_reads_the_file() {
    let dir = std::env::temp_dir().join(format!("byte-stream-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("body.bin");
    let contents: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    std::fs::write(&file, &contents).unwrap();
    let stream = ByteStream::from_path(&file).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(stream.len(), contents.len());
    assert_eq!(stream.collect().await.unwrap().to_vec(), contents);
}

#[tokio::test]
async fn from_path_fails_naming_the_missing_file() {
    let missing = std::env::temp_dir().join("byte-stream-test-no-such-file/body.bin");
    let err = ByteStream::from_path(&missing).await.unwrap_err();
    assert_eq!(err.path(), missing.as_path());
    let message = err.to_string();
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );
    let io = err
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .unwrap();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn from_path_works_outside_a_tokio_runtime() {
    // A caller polling with another executor (here a minimal one) reads on its own thread.
    let file = std::env::temp_dir().join(format!("byte-stream-test-{}.txt", std::process::id()));
    std::fs::write(&file, "outside").unwrap();
    let stream = poll_once(ByteStream::from_path(&file)).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(stream, ByteStream::from("outside"));
}

/// Polls a future that completes without waiting (no runtime needed).
fn poll_once<F: std::future::Future>(future: F) -> F::Output {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Noop));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the future did not complete on the first poll"),
    }
}

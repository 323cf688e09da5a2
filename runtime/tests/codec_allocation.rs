//! Neither codec allocates for a length that hostile input only claims: an event stream prelude
//! claiming a 16 MiB message, CBOR heads claiming 2^64 - 1 bytes or items. Measured with a
//! counting global allocator, so this file holds a single test (tests in one binary run on
//! parallel threads and would count each other's allocations).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use smithy_rust_runtime::codec::cbor::CborReader;
use smithy_rust_runtime::codec::event_stream::{MessageDecoder, MAX_MESSAGE_LEN};

/// The system allocator, recording the largest single allocation.
struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::SeqCst);
        // SAFETY: forwarded unchanged to the system allocator, under the caller's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::SeqCst);
        // SAFETY: forwarded unchanged to the system allocator, under the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The largest single allocation made while running `f`.
fn largest_allocation(f: impl FnOnce()) -> usize {
    LARGEST.store(0, Ordering::SeqCst);
    f();
    LARGEST.load(Ordering::SeqCst)
}

fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[test]
fn claimed_lengths_are_not_allocated() {
    // A valid prelude (correct CRC) claiming the largest message, then 100 bytes of it.
    let total = MAX_MESSAGE_LEN as u32;
    let mut start = total.to_be_bytes().to_vec();
    start.extend_from_slice(&0u32.to_be_bytes());
    let crc = crc32(&start);
    start.extend_from_slice(&crc.to_be_bytes());
    start.extend_from_slice(&[0; 100]);
    let reads: Vec<Bytes> = start.chunks(7).map(Bytes::copy_from_slice).collect();
    let largest = largest_allocation(|| {
        let mut decoder = MessageDecoder::new();
        for mut read in reads {
            assert_eq!(decoder.decode(&mut read), Ok(None));
        }
        assert!(
            decoder.finish().is_err(),
            "the stream ended inside the message"
        );
    });
    assert!(largest < 4096, "largest allocation {largest} bytes");

    for body in [
        &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
        &[0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0x5f, 0x5a, 0x7f, 0xff, 0xff, 0xff, 0x00],
        &[0xc2, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ] {
        let largest = largest_allocation(|| {
            assert!(CborReader::new(body).skip_value().is_err());
            assert!(CborReader::new(body).read_big_integer("B").is_err());
            let mut reader = CborReader::new(body);
            let walked = reader.begin_array("A").and_then(|_| reader.next_item());
            let _ = walked.and_then(|_| reader.skip_value());
        });
        assert!(
            largest < 4096,
            "{body:02x?}: largest allocation {largest} bytes"
        );
    }
}

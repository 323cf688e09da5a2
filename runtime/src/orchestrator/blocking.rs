//! Blocking calls (feature `blocking`): [`SendBlocking::send_blocking`] on every fluent builder,
//! customized call and paginator of a generated crate, for programs without an async runtime.
//! Calls run on the runtime of `crate::blocking`, one for the whole process.

use std::fmt;
use std::iter::FusedIterator;

use crate::blocking::block_on;
pub use crate::blocking::BlockingError;
use crate::contract::error::SdkError;
use crate::contract::operation::Operation;

use super::customize::{CustomizableOperation, CustomizableSend};
use super::paginator::{ItemStream, PageStream, PageToken, Paginator, PaginatorItems};

type CallResult<O, E> = Result<O, SdkError<E>>;

/// Blocking `send()`: with this trait in scope, a call that async code sends with
/// `.send().await` is sent with `.send_blocking()`, which waits for the result.
///
/// | async | blocking | gives |
/// |---|---|---|
/// | `client.op().x(..).send().await` | `client.op().x(..).send_blocking()` | the output or the error |
/// | `….customize().config_override(..).send().await` | `….customize().config_override(..).send_blocking()` | the output or the error |
/// | `….into_paginator().send()` (a stream) | `….into_paginator().send_blocking()` | an iterator of pages ([`Pages`]) |
/// | `….into_paginator().items().send()` (a stream) | `….into_paginator().items().send_blocking()` | an iterator of items ([`Items`]) |
///
/// Every blocking call of the process runs on one tokio runtime, started on first use (a
/// multi-thread runtime with one worker thread, which drives the HTTP client's connections
/// between calls too). A blocking call may run on any thread except one of a current-thread
/// tokio runtime (`#[tokio::main(flavor = "current_thread")]`, a default `#[tokio::test]`, or
/// one of its `spawn_blocking` threads): blocking the thread that drives that runtime could
/// deadlock it, so the call fails at once with a [`BlockingError`]. On a thread of a multi-thread
/// runtime it runs in `tokio::task::block_in_place`, which moves the thread's other tasks to
/// another worker (`.send().await` is the better choice there). A [`BlockingError`] is the
/// `Err(SdkError::ConstructionFailure)` of the call, page or item; a paginator's iterators end
/// after an error.
///
/// `Kind` tells apart the implementations for the different things that can be sent (one of
/// the [`kind`] markers); code that calls `send_blocking()` never names it.
pub trait SendBlocking<Kind>: Sized {
    /// What sending gives: the call's result, or an iterator.
    type Output;

    /// Sends the call and waits for its result; for a paginator, gives an iterator that fetches
    /// each page when it gets there.
    fn send_blocking(self) -> Self::Output;
}

/// The markers that tell apart the implementations of [`SendBlocking`].
pub mod kind {
    /// A fluent builder (`client.<operation>()`).
    #[derive(Debug)]
    pub enum Call {}
    /// A customized call (`client.<operation>().customize()`).
    #[derive(Debug)]
    pub enum Customized {}
    /// A paginator (`client.<operation>().into_paginator()`).
    #[derive(Debug)]
    pub enum Pages {}
    /// The items of a paginator (`client.<operation>().into_paginator().items()`).
    #[derive(Debug)]
    pub enum Items {}
}

impl<B> SendBlocking<kind::Call> for B
where
    B: CustomizableSend,
    B::Output: Send + 'static,
    B::Error: Send + 'static,
{
    type Output = CallResult<B::Output, B::Error>;

    fn send_blocking(self) -> Self::Output {
        block_on(self.send_with_overrides(None)).unwrap_or_else(|err| Err(failure(err)))
    }
}

impl<B> SendBlocking<kind::Customized> for CustomizableOperation<B>
where
    B: CustomizableSend,
    B::Output: Send + 'static,
    B::Error: Send + 'static,
{
    type Output = CallResult<B::Output, B::Error>;

    fn send_blocking(self) -> Self::Output {
        block_on(self.send()).unwrap_or_else(|err| Err(failure(err)))
    }
}

impl<P: Paginator> SendBlocking<kind::Pages> for P {
    type Output = Pages<P::Operation, P::Token>;

    fn send_blocking(self) -> Self::Output {
        Pages::new(self.into_pages())
    }
}

impl<O: Operation, T: Send + 'static, K: PageToken> SendBlocking<kind::Items>
    for PaginatorItems<O, T, K>
{
    type Output = Items<O, T, K>;

    fn send_blocking(self) -> Self::Output {
        Items::new(self.send())
    }
}

fn failure<E>(err: BlockingError) -> SdkError<E> {
    SdkError::construction_failure(err)
}

/// The pages of a paginated operation, each fetched (blocking) when the iterator gets to it.
///
/// Like the stream it wraps, it ends after the last page or after an error.
pub struct Pages<O: Operation, K: PageToken = String> {
    /// `None` once the iterator has ended.
    stream: Option<PageStream<O, K>>,
}

impl<O: Operation, K: PageToken> fmt::Debug for Pages<O, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("stream", &self.stream)
            .finish()
    }
}

impl<O: Operation, K: PageToken> Pages<O, K> {
    /// Iterates over the pages of `stream`.
    pub fn new(stream: PageStream<O, K>) -> Self {
        Self {
            stream: Some(stream),
        }
    }
}

impl<O: Operation, K: PageToken> Iterator for Pages<O, K> {
    type Item = CallResult<O::Output, O::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        // The stream goes to the runtime's worker with the call and comes back with the page.
        match block_on(async move {
            let page = stream.next().await;
            (stream, page)
        }) {
            Ok((stream, Some(Ok(page)))) => {
                self.stream = Some(stream);
                Some(Ok(page))
            }
            Ok((_, last)) => last,
            Err(err) => Some(Err(failure(err))),
        }
    }
}

impl<O: Operation, K: PageToken> FusedIterator for Pages<O, K> {}

/// The items of every page of a paginated operation, each page fetched (blocking) when the
/// iterator gets to it.
///
/// Like the stream it wraps, it ends after the last item or after an error.
pub struct Items<O: Operation, T, K: PageToken = String> {
    /// `None` once the iterator has ended.
    stream: Option<ItemStream<O, T, K>>,
}

impl<O: Operation, T, K: PageToken> fmt::Debug for Items<O, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("stream", &self.stream)
            .finish()
    }
}

impl<O: Operation, T, K: PageToken> Items<O, T, K> {
    /// Iterates over the items of `stream`.
    pub fn new(stream: ItemStream<O, T, K>) -> Self {
        Self {
            stream: Some(stream),
        }
    }
}

impl<O: Operation, T: Send + 'static, K: PageToken> Iterator for Items<O, T, K> {
    type Item = Result<T, SdkError<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        match block_on(async move {
            let item = stream.next().await;
            (stream, item)
        }) {
            Ok((stream, Some(Ok(item)))) => {
                self.stream = Some(stream);
                Some(Ok(item))
            }
            Ok((_, last)) => last,
            Err(err) => Some(Err(failure(err))),
        }
    }
}

impl<O: Operation, T: Send + 'static, K: PageToken> FusedIterator for Items<O, T, K> {}

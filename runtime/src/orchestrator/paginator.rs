//! Pagination: a stream of pages that follows the next token, and a stream of the items of every
//! page.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::config::ConfigOverride;
use crate::contract::error::{BuildError, SdkError};
use crate::contract::http::BoxFuture;
use crate::contract::operation::Operation;
use crate::orchestrator::handle::Handle;

type PageResult<O> = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>;

/// The service returned a next token it had already returned: following it would loop forever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedTokenError {
    operation: &'static str,
    page: usize,
}

impl fmt::Display for RepeatedTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pagination of {} stopped after page {}: the service returned a next token it had already returned",
            self.operation, self.page
        )
    }
}

impl std::error::Error for RepeatedTokenError {}

/// A next token: a string for most services, a map for some (DynamoDB's `ExclusiveStartKey`).
pub trait PageToken: Clone + Send + Sync + 'static {
    /// The tokens a stream has followed, to detect a service repeating one.
    type Seen: Default + Send + Sync;

    /// Whether the token means there are no more pages.
    fn is_empty(&self) -> bool;

    /// Adds the token to `seen`; `false` when it was there already.
    fn remember(&self, seen: &mut Self::Seen) -> bool;
}

impl PageToken for String {
    type Seen = HashSet<String>;

    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }

    fn remember(&self, seen: &mut Self::Seen) -> bool {
        seen.insert(self.clone())
    }
}

/// A map token (e.g. the primary key of the last item read), compared by value; maps are not
/// hashable, so the tokens seen are searched one by one (one per page).
impl<K, V, S> PageToken for HashMap<K, V, S>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + PartialEq + Send + Sync + 'static,
    S: BuildHasher + Clone + Send + Sync + 'static,
{
    type Seen = Vec<Self>;

    fn is_empty(&self) -> bool {
        HashMap::is_empty(self)
    }

    fn remember(&self, seen: &mut Self::Seen) -> bool {
        if seen.contains(self) {
            return false;
        }
        seen.push(self.clone());
        true
    }
}

/// A stream of the pages of a paginated operation. Use [`PageStream::next`], [`PageStream::collect`],
/// or its `futures_core::Stream` implementation.
///
/// The stream ends when a page has no next token (absent or empty), and ends with an error when
/// the service repeats a token.
pub struct PageStream<O: Operation, K: PageToken = String> {
    handle: Handle,
    input: Option<O::Input>,
    config_override: Option<ConfigOverride>,
    set_token: fn(&mut O::Input, Option<K>),
    get_token: fn(&O::Output) -> Option<&K>,
    seen: K::Seen,
    pages: usize,
    in_flight: Option<BoxFuture<'static, PageResult<O>>>,
    pending_error: Option<SdkError<O::Error>>,
    stop_on_duplicate_token: bool,
}

impl<O: Operation, K: PageToken> fmt::Debug for PageStream<O, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("operation", &O::NAME)
            .field("pages", &self.pages)
            .field("done", &(self.input.is_none() && self.in_flight.is_none()))
            .finish()
    }
}

impl<O: Operation, K: PageToken> PageStream<O, K> {
    /// Pages through `O` starting from `input` (an input that failed to build ends the stream
    /// with that error).
    pub fn new(
        handle: Handle,
        input: Result<O::Input, BuildError>,
        config_override: Option<ConfigOverride>,
        set_token: fn(&mut O::Input, Option<K>),
        get_token: fn(&O::Output) -> Option<&K>,
    ) -> Self {
        let (input, pending_error) = match input {
            Ok(input) => (Some(input), None),
            Err(err) => (None, Some(SdkError::construction_failure(err))),
        };
        Self {
            handle,
            input,
            config_override,
            set_token,
            get_token,
            seen: K::Seen::default(),
            pages: 0,
            in_flight: None,
            pending_error,
            stop_on_duplicate_token: true,
        }
    }

    /// Whether a next token the service already returned ends the stream with a
    /// [`RepeatedTokenError`] (the default, since following it would loop forever), or is
    /// followed again: `false` suits operations that legitimately repeat a token, such as a log
    /// tail that returns the same token until new events arrive.
    pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
        self.stop_on_duplicate_token = stop;
        self
    }

    /// Counts `token`, the next token the first request sends (if any), as already seen: a
    /// service answering with it again would loop.
    pub fn starting_from(mut self, token: Option<K>) -> Self {
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            token.remember(&mut self.seen);
        }
        self
    }

    /// The next page, or `None` when there are no more.
    pub async fn next(&mut self) -> Option<PageResult<O>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The next page, `Ok(None)` when there are no more, or the error that ended the stream:
    /// `while let Some(page) = pages.try_next().await? { ... }`.
    pub async fn try_next(&mut self) -> Result<Option<O::Output>, SdkError<O::Error>> {
        self.next().await.transpose()
    }

    /// Every remaining page, into any collection of results (e.g. `Vec<Result<_, _>>`, or
    /// `Result<Vec<_>, _>`, which stops at the first error). The stream ends after an error, so
    /// an error is always the last element.
    pub async fn collect<C: FromIterator<PageResult<O>>>(mut self) -> C {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page);
        }
        pages.into_iter().collect()
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(self) -> Result<Vec<O::Output>, SdkError<O::Error>> {
        self.collect().await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<O>>> {
        if let Some(err) = self.pending_error.take() {
            self.input = None;
            return Poll::Ready(Some(Err(err)));
        }
        if self.in_flight.is_none() {
            let Some(input) = self.input.clone() else {
                return Poll::Ready(None);
            };
            let handle = self.handle.clone();
            let overrides = self.config_override.clone();
            self.in_flight = Some(Box::pin(
                async move { handle.call::<O>(input, overrides).await },
            ));
        }
        let Some(future) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.in_flight = None;
        self.pages += 1;
        match &result {
            Ok(output) => {
                let token = (self.get_token)(output).filter(|t| !t.is_empty());
                match (token, self.input.as_mut()) {
                    (Some(token), Some(input)) => {
                        if token.remember(&mut self.seen) || !self.stop_on_duplicate_token {
                            let token = token.clone();
                            (self.set_token)(input, Some(token));
                        } else {
                            self.pending_error =
                                Some(SdkError::construction_failure(RepeatedTokenError {
                                    operation: O::NAME,
                                    page: self.pages,
                                }));
                        }
                    }
                    _ => self.input = None,
                }
            }
            Err(_) => self.input = None,
        }
        Poll::Ready(Some(result))
    }
}

impl<O: Operation, K: PageToken> Unpin for PageStream<O, K> {}

impl<O: Operation, K: PageToken> futures_core::Stream for PageStream<O, K> {
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// A stream of the items of every page of a paginated operation.
pub struct ItemStream<O: Operation, T, K: PageToken = String> {
    pages: PageStream<O, K>,
    items: std::vec::IntoIter<T>,
    take: fn(O::Output) -> Vec<T>,
}

impl<O: Operation, T, K: PageToken> fmt::Debug for ItemStream<O, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .finish()
    }
}

impl<O: Operation, T, K: PageToken> ItemStream<O, T, K> {
    /// The items of `pages`, taken out of each page by `take`.
    pub fn new(pages: PageStream<O, K>, take: fn(O::Output) -> Vec<T>) -> Self {
        Self {
            pages,
            items: Vec::new().into_iter(),
            take,
        }
    }

    /// The next item, or `None` when there are no more.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<O::Error>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// The next item, `Ok(None)` when there are no more, or the error that ended the stream.
    pub async fn try_next(&mut self) -> Result<Option<T>, SdkError<O::Error>> {
        self.next().await.transpose()
    }

    /// Every remaining item, into any collection of results (e.g. `Vec<Result<_, _>>` or
    /// `Result<Vec<_>, _>`). The stream ends after an error, so an error is always the last
    /// element.
    pub async fn collect<C: FromIterator<Result<T, SdkError<O::Error>>>>(mut self) -> C {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item);
        }
        items.into_iter().collect()
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, SdkError<O::Error>> {
        self.collect().await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<O::Error>>>> {
        loop {
            if let Some(item) = self.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => self.items = (self.take)(page).into_iter(),
            }
        }
    }
}

impl<O: Operation, T, K: PageToken> Unpin for ItemStream<O, T, K> {}

/// The items of every page of a paginated operation, before they are requested:
/// `into_paginator().items().send()` gives the [`ItemStream`].
pub struct PaginatorItems<O: Operation, T, K: PageToken = String>(ItemStream<O, T, K>);

impl<O: Operation, T, K: PageToken> fmt::Debug for PaginatorItems<O, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PaginatorItems").field(&self.0).finish()
    }
}

impl<O: Operation, T, K: PageToken> PaginatorItems<O, T, K> {
    /// The items of `pages`, taken out of each page by `take`.
    pub fn new(pages: PageStream<O, K>, take: fn(O::Output) -> Vec<T>) -> Self {
        Self(ItemStream::new(pages, take))
    }

    /// The stream of items (nothing is requested until it is polled).
    pub fn send(self) -> ItemStream<O, T, K> {
        self.0
    }
}

impl<O: Operation, T, K: PageToken> futures_core::Stream for ItemStream<O, T, K> {
    type Item = Result<T, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// Blocking iterators over pages and items (feature `blocking`).
#[cfg(feature = "blocking")]
pub mod blocking {
    use super::{ItemStream, PageResult, PageStream, PageToken};
    use crate::blocking::block_on;
    use crate::contract::error::SdkError;
    use crate::contract::operation::Operation;

    /// The pages of a paginated operation, fetched as the iterator advances.
    #[derive(Debug)]
    pub struct Pages<O: Operation, K: PageToken = String>(PageStream<O, K>);

    impl<O: Operation, K: PageToken> Pages<O, K> {
        /// Iterates over `pages` synchronously.
        pub fn new(pages: PageStream<O, K>) -> Self {
            Self(pages)
        }
    }

    impl<O: Operation, K: PageToken> Iterator for Pages<O, K> {
        type Item = PageResult<O>;

        fn next(&mut self) -> Option<Self::Item> {
            match block_on(self.0.next()) {
                Ok(page) => page,
                Err(err) => Some(Err(SdkError::construction_failure(err))),
            }
        }
    }

    /// The items of every page of a paginated operation, fetched as the iterator advances.
    #[derive(Debug)]
    pub struct Items<O: Operation, T, K: PageToken = String>(ItemStream<O, T, K>);

    impl<O: Operation, T, K: PageToken> Items<O, T, K> {
        /// Iterates over `items` synchronously.
        pub fn new(items: ItemStream<O, T, K>) -> Self {
            Self(items)
        }
    }

    impl<O: Operation, T, K: PageToken> Iterator for Items<O, T, K> {
        type Item = Result<T, SdkError<O::Error>>;

        fn next(&mut self) -> Option<Self::Item> {
            match block_on(self.0.next()) {
                Ok(item) => item,
                Err(err) => Some(Err(SdkError::construction_failure(err))),
            }
        }
    }
}

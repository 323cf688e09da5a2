//! Pagination: a stream of pages that follows the next token, and a stream of the items of every
//! page.

use std::collections::HashSet;
use std::fmt;
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

/// A stream of the pages of a paginated operation. Use [`PageStream::next`], [`PageStream::collect`],
/// or its `futures_core::Stream` implementation.
///
/// The stream ends when a page has no next token (absent or empty), and ends with an error when
/// the service repeats a token.
pub struct PageStream<O: Operation> {
    handle: Handle,
    input: Option<O::Input>,
    config_override: Option<ConfigOverride>,
    set_token: fn(&mut O::Input, Option<String>),
    get_token: fn(&O::Output) -> Option<&str>,
    seen: HashSet<String>,
    pages: usize,
    in_flight: Option<BoxFuture<'static, PageResult<O>>>,
    pending_error: Option<SdkError<O::Error>>,
    stop_on_duplicate_token: bool,
}

impl<O: Operation> fmt::Debug for PageStream<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("operation", &O::NAME)
            .field("pages", &self.pages)
            .field("done", &(self.input.is_none() && self.in_flight.is_none()))
            .finish()
    }
}

impl<O: Operation> PageStream<O> {
    /// Pages through `O` starting from `input` (an input that failed to build ends the stream
    /// with that error).
    pub fn new(
        handle: Handle,
        input: Result<O::Input, BuildError>,
        config_override: Option<ConfigOverride>,
        set_token: fn(&mut O::Input, Option<String>),
        get_token: fn(&O::Output) -> Option<&str>,
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
            seen: HashSet::new(),
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
    pub fn starting_from(mut self, token: Option<String>) -> Self {
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            self.seen.insert(token);
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
                let token = (self.get_token)(output)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned);
                match (token, self.input.as_mut()) {
                    (Some(token), Some(input)) => {
                        if self.seen.insert(token.clone()) || !self.stop_on_duplicate_token {
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

impl<O: Operation> Unpin for PageStream<O> {}

impl<O: Operation> futures_core::Stream for PageStream<O> {
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// A stream of the items of every page of a paginated operation.
pub struct ItemStream<O: Operation, T> {
    pages: PageStream<O>,
    items: std::vec::IntoIter<T>,
    take: fn(O::Output) -> Vec<T>,
}

impl<O: Operation, T> fmt::Debug for ItemStream<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .finish()
    }
}

impl<O: Operation, T> ItemStream<O, T> {
    /// The items of `pages`, taken out of each page by `take`.
    pub fn new(pages: PageStream<O>, take: fn(O::Output) -> Vec<T>) -> Self {
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

impl<O: Operation, T> Unpin for ItemStream<O, T> {}

/// The items of every page of a paginated operation, before they are requested:
/// `into_paginator().items().send()` gives the [`ItemStream`].
pub struct PaginatorItems<O: Operation, T>(ItemStream<O, T>);

impl<O: Operation, T> fmt::Debug for PaginatorItems<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PaginatorItems").field(&self.0).finish()
    }
}

impl<O: Operation, T> PaginatorItems<O, T> {
    /// The items of `pages`, taken out of each page by `take`.
    pub fn new(pages: PageStream<O>, take: fn(O::Output) -> Vec<T>) -> Self {
        Self(ItemStream::new(pages, take))
    }

    /// The stream of items (nothing is requested until it is polled).
    pub fn send(self) -> ItemStream<O, T> {
        self.0
    }
}

impl<O: Operation, T> futures_core::Stream for ItemStream<O, T> {
    type Item = Result<T, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// Blocking iterators over pages and items (feature `blocking`).
#[cfg(feature = "blocking")]
pub mod blocking {
    use super::{ItemStream, PageResult, PageStream};
    use crate::blocking::block_on;
    use crate::contract::error::SdkError;
    use crate::contract::operation::Operation;

    /// The pages of a paginated operation, fetched as the iterator advances.
    #[derive(Debug)]
    pub struct Pages<O: Operation>(PageStream<O>);

    impl<O: Operation> Pages<O> {
        /// Iterates over `pages` synchronously.
        pub fn new(pages: PageStream<O>) -> Self {
            Self(pages)
        }
    }

    impl<O: Operation> Iterator for Pages<O> {
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
    pub struct Items<O: Operation, T>(ItemStream<O, T>);

    impl<O: Operation, T> Items<O, T> {
        /// Iterates over `items` synchronously.
        pub fn new(items: ItemStream<O, T>) -> Self {
            Self(items)
        }
    }

    impl<O: Operation, T> Iterator for Items<O, T> {
        type Item = Result<T, SdkError<O::Error>>;

        fn next(&mut self) -> Option<Self::Item> {
            match block_on(self.0.next()) {
                Ok(item) => item,
                Err(err) => Some(Err(SdkError::construction_failure(err))),
            }
        }
    }
}

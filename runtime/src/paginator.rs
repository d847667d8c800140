//! Paginators: a stream of pages (or of the items in them) that follows the operation's
//! marker from page to page. Generated paginators supply how to read and set the token.
//!
//! The stream stops when the service sends no token, or an empty one, or (for operations
//! with a `more_results` flag) says there is nothing more; it fails with a clear error
//! instead of looping for ever when the service sends back the token it was given.

use crate::client::Handle;
use crate::http::BoxFuture;
use crate::operation::Operation;
use crate::sdk_error::SdkError;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How one operation paginates (from `paginators-1.json`).
pub struct Pagination<O: Operation> {
    /// The token the output gives for the next page (`None` or empty: no more pages).
    pub output_token: fn(&O::Output) -> Option<&str>,
    /// Sets the next page's token on the input.
    pub set_input_token: fn(&mut O::Input, String),
    /// The token already set on the input, if any.
    pub input_token: fn(&O::Input) -> Option<&str>,
    /// `more_results`: `Some(false)` means the last page, whatever the token says.
    pub more_results: Option<MoreResults<O>>,
    /// A page that gives back the token it was sent ends the stream with an error (botocore's
    /// behaviour; the default); `false` requests the next page with that token again, for a
    /// service whose repeated token is not a loop (aws-sdk-rust's `stop_on_duplicate_token`).
    pub stop_on_duplicate_token: bool,
}

/// Reads the `more_results` flag of an output.
pub type MoreResults<O> = fn(&<O as Operation>::Output) -> Option<bool>;

impl<O: Operation> Clone for Pagination<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O: Operation> Copy for Pagination<O> {}

impl<O: Operation> std::fmt::Debug for Pagination<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The rest is the operation's own functions: nothing to show.
        f.debug_struct("Pagination").field("stop_on_duplicate_token", &self.stop_on_duplicate_token).finish_non_exhaustive()
    }
}

/// A stream of results: use `next().await`, `collect().await`, or the `futures` `Stream`.
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn futures_core::Stream<Item = T> + Send>>,
}

impl<T> std::fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaginationStream")
    }
}

impl<T: Send + 'static> PaginationStream<T> {
    pub fn new(stream: impl futures_core::Stream<Item = T> + Send + 'static) -> Self {
        PaginationStream { inner: Box::pin(stream) }
    }

    /// The next page (or item); `None` at the end.
    pub async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every remaining page (or item).
    pub async fn collect<C: Collectable<T>>(mut self) -> C {
        let mut out = C::initialize();
        while let Some(item) = self.next().await {
            if !C::extend(&mut out, item) {
                break;
            }
        }
        C::finalize(out)
    }

    pub async fn try_collect<U, E>(mut self) -> Result<Vec<U>, E>
    where
        T: Into<Result<U, E>>,
    {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item.into()?);
        }
        Ok(out)
    }
}

impl<U: Send + 'static, E: Send + 'static> PaginationStream<Result<U, E>> {
    /// The next item, `Ok(None)` at the end, or the error that ended the stream
    /// (aws-smithy-async's `try_next`).
    pub async fn try_next(&mut self) -> Result<Option<U>, E> {
        self.next().await.transpose()
    }
}

/// What [`PaginationStream::collect`] gathers into, as aws-smithy-async allows: a `Vec` of
/// the items, or `Result<Vec<_>, E>`, which stops at the first error.
pub trait Collectable<T>: sealed::Sealed {
    #[doc(hidden)]
    type Collection;
    #[doc(hidden)]
    fn initialize() -> Self::Collection;
    /// Adds an item; `false` stops the collection.
    #[doc(hidden)]
    fn extend(collection: &mut Self::Collection, item: T) -> bool;
    #[doc(hidden)]
    fn finalize(collection: Self::Collection) -> Self;
}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for Vec<T> {}
    impl<U, E> Sealed for Result<U, E> {}
}

impl<T> Collectable<T> for Vec<T> {
    type Collection = Vec<T>;

    fn initialize() -> Vec<T> {
        Vec::new()
    }

    fn extend(collection: &mut Vec<T>, item: T) -> bool {
        collection.push(item);
        true
    }

    fn finalize(collection: Vec<T>) -> Vec<T> {
        collection
    }
}

impl<T, U: Collectable<T>, E> Collectable<Result<T, E>> for Result<U, E> {
    type Collection = Result<U::Collection, E>;

    fn initialize() -> Self::Collection {
        Ok(U::initialize())
    }

    fn extend(collection: &mut Self::Collection, item: Result<T, E>) -> bool {
        match (collection.as_mut(), item) {
            (Ok(items), Ok(item)) => U::extend(items, item),
            (Ok(_), Err(e)) => {
                *collection = Err(e);
                false
            }
            // Not reached: the first error stops the collection.
            (Err(_), _) => false,
        }
    }

    fn finalize(collection: Self::Collection) -> Self {
        collection.map(U::finalize)
    }
}

impl<T> futures_core::Stream for PaginationStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.as_mut().poll_next(cx)
    }
}

type PageResult<O> = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>;

/// The pages of `input`'s operation, one call each.
pub fn pages<O>(handle: Handle, input: O::Input, how: Pagination<O>) -> PaginationStream<PageResult<O>>
where
    O: Operation + 'static,
    O::Input: Clone,
{
    PaginationStream::new(Pages::<O> { handle, next: Some(input), in_flight: None, how, repeated: None })
}

/// The items of every page, `items` taking them out of each page.
pub fn items<O, T>(
    handle: Handle,
    input: O::Input,
    how: Pagination<O>,
    items: fn(O::Output) -> Vec<T>,
) -> PaginationStream<Result<T, SdkError<O::Error>>>
where
    O: Operation + 'static,
    O::Input: Clone,
    T: Send + 'static,
{
    let pages = Pages::<O> { handle, next: Some(input), in_flight: None, how, repeated: None };
    PaginationStream::new(Items { pages, items, buffered: VecDeque::new() })
}

/// The state of a page stream: the input of the next page (`None` when done), or the call
/// in flight with the input it was made with.
struct Pages<O: Operation> {
    handle: Handle,
    next: Option<O::Input>,
    in_flight: Option<(BoxFuture<'static, PageResult<O>>, O::Input)>,
    how: Pagination<O>,
    /// Reported after the page that repeated the token it was sent.
    repeated: Option<SdkError<O::Error>>,
}

impl<O> futures_core::Stream for Pages<O>
where
    O: Operation + 'static,
    O::Input: Clone,
{
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.repeated.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if this.in_flight.is_none() {
            let Some(input) = this.next.take() else { return Poll::Ready(None) };
            let handle = this.handle.clone();
            let sent = input.clone();
            let call: BoxFuture<'static, PageResult<O>> = Box::pin(async move { handle.call::<O>(input).await });
            this.in_flight = Some((call, sent));
        }
        let Some((call, _)) = this.in_flight.as_mut() else { return Poll::Ready(None) };
        let result = match call.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let Some((_, mut sent)) = this.in_flight.take() else { return Poll::Ready(None) };
        let Ok(output) = &result else {
            // An error ends the stream after it is reported.
            return Poll::Ready(Some(result));
        };
        let token = (this.how.output_token)(output).filter(|t| !t.is_empty());
        let more = this.how.more_results.is_none_or(|more| more(output).unwrap_or(false));
        match token {
            Some(token) if more => {
                if this.how.stop_on_duplicate_token && (this.how.input_token)(&sent) == Some(token) {
                    // The next page would be this page again: end with an error, not a loop.
                    this.repeated = Some(SdkError::construction_failure(
                        O::INFO.name,
                        format!(
                            "the service returned the pagination token it was sent (`{token}`); \
                             stopping instead of requesting the same page for ever"
                        ),
                    ));
                    this.next = None;
                    return Poll::Ready(Some(result));
                }
                let token = token.to_owned();
                (this.how.set_input_token)(&mut sent, token);
                this.next = Some(sent);
            }
            _ => this.next = None,
        }
        Poll::Ready(Some(result))
    }
}

struct Items<O: Operation, T> {
    pages: Pages<O>,
    items: fn(O::Output) -> Vec<T>,
    buffered: VecDeque<T>,
}

impl<O, T> futures_core::Stream for Items<O, T>
where
    O: Operation + 'static,
    O::Input: Clone,
    T: Send + 'static,
{
    type Item = Result<T, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items)(page)),
            }
        }
    }
}

impl<O: Operation> Unpin for Pages<O> {}
impl<O: Operation, T> Unpin for Items<O, T> {}

/// Blocking paginators (feature `blocking`): the same pages and items as an `Iterator`.
#[cfg(feature = "blocking")]
pub struct PaginationIter<U, E> {
    stream: PaginationStream<Result<U, SdkError<E>>>,
    handle: Handle,
    operation: &'static str,
    failed: bool,
}

#[cfg(feature = "blocking")]
impl<U: Send + 'static, E: Send + 'static> PaginationIter<U, E> {
    pub fn new(handle: Handle, operation: &'static str, stream: PaginationStream<Result<U, SdkError<E>>>) -> Self {
        PaginationIter { stream, handle, operation, failed: false }
    }
}

#[cfg(feature = "blocking")]
impl<U: Send + 'static, E: Send + 'static> Iterator for PaginationIter<U, E> {
    type Item = Result<U, SdkError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let stream = &mut self.stream;
        match self.handle.run_blocking(stream.next()) {
            Ok(item) => item,
            Err(why) => {
                self.failed = true;
                Some(Err(SdkError::construction_failure(self.operation, why)))
            }
        }
    }
}

//! The Smithy primitive types that have no exact Rust counterpart: timestamps ([`DateTime`]),
//! byte blobs ([`Blob`]) and untyped documents ([`Document`]).

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::{Month, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// A point in time with nanosecond precision, stored as seconds since the Unix epoch
/// (1970-01-01T00:00:00Z) plus a non-negative sub-second part.
///
/// `secs` is the floor of the instant, so one and a half seconds before the epoch is
/// `secs = -2, subsec_nanos = 500_000_000`; the derived ordering is therefore chronological.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

/// The wire formats of a Smithy timestamp (`@timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 `date-time`, e.g. `2019-12-16T23:48:18Z` (`date-time`).
    DateTime,
    /// RFC 7231 IMF-fixdate, e.g. `Tue, 29 Apr 2014 18:30:38 GMT` (`http-date`).
    HttpDate,
    /// Seconds since the Unix epoch, with an optional fraction, e.g. `1515531081.123`
    /// (`epoch-seconds`).
    EpochSeconds,
}

impl Format {
    /// The Smithy name of the format (`date-time`, `http-date`, `epoch-seconds`).
    pub fn smithy_name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::HttpDate => "http-date",
            Format::EpochSeconds => "epoch-seconds",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.smithy_name())
    }
}

impl DateTime {
    /// `secs` whole seconds after (or, when negative, before) the epoch.
    pub fn from_secs(secs: i64) -> Self {
        Self {
            seconds: secs,
            subsec_nanos: 0,
        }
    }

    /// `ms` milliseconds after (or, when negative, before) the epoch.
    pub fn from_millis(ms: i64) -> Self {
        Self {
            seconds: ms.div_euclid(1000),
            // rem_euclid(1000) is in 0..1000, so the product fits in u32.
            subsec_nanos: ms.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// `secs` seconds plus `nanos` nanoseconds; `nanos` of a second or more carry into `secs`
    /// (saturating at the largest representable instant).
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / NANOS_PER_SEC);
        Self {
            seconds: secs.saturating_add(carry),
            subsec_nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Fractional seconds since the epoch, rounded to the nearest microsecond so that a value
    /// such as `1515531081.123` (which `f64` holds as `1515531081.1229999...`) comes back as
    /// exactly 123 milliseconds.
    ///
    /// Values beyond the `i64` range saturate to the smallest / largest representable second;
    /// NaN maps to the epoch. Callers reading untrusted input should reject non-finite values
    /// before calling this.
    pub fn from_secs_f64(secs: f64) -> Self {
        if secs.is_nan() {
            return Self::default();
        }
        let whole = secs.floor();
        let frac = secs - whole;
        // `as` saturates for out-of-range floats.
        let mut seconds = whole as i64;
        let mut micros = (frac * 1_000_000.0).round() as u32;
        if micros >= 1_000_000 {
            micros -= 1_000_000;
            seconds = seconds.saturating_add(1);
        }
        Self {
            seconds,
            subsec_nanos: micros * 1000,
        }
    }

    /// The whole seconds since the epoch (the floor of the instant).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Fractional seconds since the epoch (precision is lost for large values).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Milliseconds since the epoch, or `None` when that overflows `i64`.
    pub fn to_millis(&self) -> Option<i64> {
        self.seconds
            .checked_mul(1000)?
            .checked_add(i64::from(self.subsec_nanos / 1_000_000))
    }

    /// Parses `s` in the wire format `format`.
    ///
    /// * [`Format::DateTime`]: RFC 3339 `date-time` with `Z` or a numeric offset and optional
    ///   fractional seconds (the `T` and `Z` may be lower case, as RFC 3339 allows).
    /// * [`Format::HttpDate`]: IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`), optionally with
    ///   fractional seconds (`18:30:38.123`).
    /// * [`Format::EpochSeconds`]: a decimal number, e.g. `1515531081` or `-1.5`.
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeParseError> {
        let result = match format {
            Format::DateTime => parse_date_time(s),
            Format::HttpDate => parse_http_date(s),
            Format::EpochSeconds => parse_epoch_seconds(s),
        };
        result.map_err(|reason| DateTimeParseError {
            input: s.to_owned(),
            format,
            reason,
        })
    }

    /// Formats this instant in the wire format `format`.
    ///
    /// * [`Format::DateTime`]: `2019-12-16T23:48:18Z`; the fraction is written only when it is
    ///   non-zero, with trailing zeros trimmed (`2019-12-16T23:48:18.123Z`).
    /// * [`Format::HttpDate`]: `Mon, 16 Dec 2019 23:48:18 GMT`; milliseconds are written
    ///   (`23:48:18.123 GMT`) only when they are non-zero.
    /// * [`Format::EpochSeconds`]: `1576540098` or `1576540098.123` (trailing zeros trimmed).
    ///
    /// Fails only for the calendar formats when the year is outside `-9999..=9999`.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        match format {
            Format::EpochSeconds => Ok(self.fmt_epoch_seconds()),
            Format::DateTime | Format::HttpDate => {
                let dt = self.to_offset_date_time().ok_or(DateTimeFormatError {
                    seconds: self.seconds,
                    format,
                    reason: "the year is outside the supported range -9999..=9999",
                })?;
                let mut out = String::with_capacity(32);
                if format == Format::DateTime {
                    write_date_time(&mut out, &dt, self.subsec_nanos);
                } else {
                    write_http_date(&mut out, &dt, self.subsec_nanos);
                }
                Ok(out)
            }
        }
    }

    fn fmt_epoch_seconds(&self) -> String {
        let total =
            i128::from(self.seconds) * i128::from(NANOS_PER_SEC) + i128::from(self.subsec_nanos);
        let sign = if total < 0 { "-" } else { "" };
        let abs = total.unsigned_abs();
        let whole = abs / u128::from(NANOS_PER_SEC);
        let frac = abs % u128::from(NANOS_PER_SEC);
        let mut out = format!("{sign}{whole}");
        if frac != 0 {
            let digits = format!("{frac:09}");
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
        out
    }

    fn to_offset_date_time(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp(self.seconds).ok()
    }

    fn from_offset_date_time(dt: OffsetDateTime) -> Self {
        Self {
            seconds: dt.unix_timestamp(),
            subsec_nanos: dt.nanosecond(),
        }
    }
}

fn write_fraction(out: &mut String, nanos: u32) {
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

fn write_date_time(out: &mut String, dt: &OffsetDateTime, nanos: u32) {
    let year = dt.year();
    if year < 0 {
        // RFC 3339 has no negative years; ISO 8601 expanded notation is the best effort.
        let _ = write!(out, "-{:04}", year.unsigned_abs());
    } else {
        let _ = write!(out, "{year:04}");
    }
    let _ = write!(
        out,
        "-{:02}-{:02}T{:02}:{:02}:{:02}",
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    write_fraction(out, nanos);
    out.push('Z');
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn write_http_date(out: &mut String, dt: &OffsetDateTime, nanos: u32) {
    let weekday = WEEKDAYS[usize::from(dt.weekday().number_days_from_monday())];
    let month = MONTHS[usize::from(u8::from(dt.month()) - 1)];
    let year = dt.year();
    let _ = write!(out, "{weekday}, {:02} {month} ", dt.day());
    if year < 0 {
        let _ = write!(out, "-{:04}", year.unsigned_abs());
    } else {
        let _ = write!(out, "{year:04}");
    }
    let _ = write!(
        out,
        " {:02}:{:02}:{:02}",
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let millis = nanos / 1_000_000;
    if millis != 0 {
        let _ = write!(out, ".{millis:03}");
    }
    out.push_str(" GMT");
}

fn parse_date_time(s: &str) -> Result<DateTime, String> {
    // `time` accepts any byte as the date/time separator; RFC 3339 only allows `T` (or `t`).
    match s.as_bytes().get(10) {
        Some(b'T' | b't') => {}
        Some(_) => return Err("expected `T` between the date and the time".into()),
        None => return Err("too short for an RFC 3339 date-time".into()),
    }
    let dt = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| e.to_string())?;
    Ok(DateTime::from_offset_date_time(dt))
}

/// A tiny cursor over the bytes of an http-date.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        if self.rest.len() < n {
            return Err(format!("ended before the {what}"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn literal(&mut self, lit: &str, what: &str) -> Result<(), String> {
        let got = self.take(lit.len(), what)?;
        if got == lit.as_bytes() {
            Ok(())
        } else {
            Err(format!("expected `{lit}` {what}"))
        }
    }

    fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
        let got = self.take(n, what)?;
        let mut value = 0u32;
        for &b in got {
            if !b.is_ascii_digit() {
                return Err(format!("expected {n} digits for the {what}"));
            }
            value = value * 10 + u32::from(b - b'0');
        }
        Ok(value)
    }
}

fn parse_http_date(s: &str) -> Result<DateTime, String> {
    let mut c = Cursor {
        rest: s.trim().as_bytes(),
    };
    let weekday_name = c.take(3, "weekday")?;
    let weekday = WEEKDAYS
        .iter()
        .position(|w| w.as_bytes() == weekday_name)
        .ok_or("unknown weekday name")?;
    c.literal(", ", "after the weekday")?;
    let day = c.digits(2, "day")?;
    c.literal(" ", "after the day")?;
    let month_name = c.take(3, "month")?;
    let month_index = MONTHS
        .iter()
        .position(|m| m.as_bytes() == month_name)
        .ok_or("unknown month name")?;
    c.literal(" ", "after the month")?;
    let year = c.digits(4, "year")?;
    c.literal(" ", "after the year")?;
    let hour = c.digits(2, "hour")?;
    c.literal(":", "after the hour")?;
    let minute = c.digits(2, "minute")?;
    c.literal(":", "after the minute")?;
    let second = c.digits(2, "second")?;
    let mut nanos = 0u32;
    if c.rest.first() == Some(&b'.') {
        c.rest = &c.rest[1..];
        let count = c.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err("expected digits after the decimal point".into());
        }
        let digits = c.take(count, "fraction")?;
        let mut scale = 100_000_000u32;
        for &d in digits.iter().take(9) {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
        }
    }
    c.literal(" GMT", "after the time")?;
    if !c.rest.is_empty() {
        return Err("unexpected characters after `GMT`".into());
    }
    // The values below were bounded by their digit counts; `time` validates the ranges.
    let month = Month::try_from((month_index + 1) as u8).map_err(|e| e.to_string())?;
    let date =
        time::Date::from_calendar_date(year as i32, month, day as u8).map_err(|e| e.to_string())?;
    if weekday_of(date.weekday()) != weekday {
        return Err(format!(
            "the weekday does not match the date (it is a {})",
            WEEKDAYS[weekday_of(date.weekday())]
        ));
    }
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos)
        .map_err(|e| e.to_string())?;
    let dt = PrimitiveDateTime::new(date, time).assume_utc();
    Ok(DateTime::from_offset_date_time(dt))
}

fn weekday_of(w: Weekday) -> usize {
    usize::from(w.number_days_from_monday())
}

fn parse_epoch_seconds(s: &str) -> Result<DateTime, String> {
    let t = s.trim();
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, frac) = match unsigned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (unsigned, ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (unsigned.contains('.') && frac.is_empty())
    {
        return Err("expected a decimal number of seconds".into());
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| "the number of seconds is out of range".to_string())?;
    let mut nanos = 0u32;
    let mut scale = 100_000_000u32;
    for d in frac.bytes().take(9) {
        nanos += u32::from(d - b'0') * scale;
        scale /= 10;
    }
    if !negative {
        return Ok(DateTime::from_secs_and_nanos(whole, nanos));
    }
    // -(whole + nanos/1e9) = -(whole + 1) + (1e9 - nanos)/1e9 when nanos > 0.
    if nanos == 0 {
        Ok(DateTime::from_secs(-whole))
    } else {
        let secs = (-whole)
            .checked_sub(1)
            .ok_or("the number of seconds is out of range")?;
        Ok(DateTime::from_secs_and_nanos(secs, NANOS_PER_SEC - nanos))
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a system time; instants beyond the `i64` range of seconds saturate.
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Self {
                seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                subsec_nanos: d.subsec_nanos(),
            },
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    Self::from_secs(-secs)
                } else {
                    Self {
                        seconds: (-secs).saturating_sub(1),
                        subsec_nanos: NANOS_PER_SEC - d.subsec_nanos(),
                    }
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeConversionError;

    /// Fails when the platform's `SystemTime` cannot represent the instant.
    fn try_from(t: DateTime) -> Result<Self, Self::Error> {
        let err = DateTimeConversionError { value: t };
        if t.seconds >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(t.seconds.unsigned_abs(), t.subsec_nanos))
                .ok_or(err)
        } else {
            let back = UNIX_EPOCH
                .checked_sub(Duration::from_secs(t.seconds.unsigned_abs()))
                .ok_or(err)?;
            back.checked_add(Duration::from_nanos(u64::from(t.subsec_nanos)))
                .ok_or(err)
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 when the year fits, otherwise epoch seconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::fmt(self, Format::DateTime) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{} seconds since the epoch", self.fmt_epoch_seconds()),
        }
    }
}

/// A string could not be parsed as a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
    format: Format,
    reason: String,
}

impl DateTimeParseError {
    /// The text that failed to parse.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The format it was parsed as.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid {} timestamp: {}",
            self.input, self.format, self.reason
        )
    }
}

impl StdError for DateTimeParseError {}

/// A timestamp could not be formatted (its year does not fit the format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeFormatError {
    seconds: i64,
    format: Format,
    reason: &'static str,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot format the timestamp {} seconds since the epoch as {}: {}",
            self.seconds, self.format, self.reason
        )
    }
}

impl StdError for DateTimeFormatError {}

/// A [`DateTime`] could not be converted to a [`SystemTime`] on this platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeConversionError {
    value: DateTime,
}

impl fmt::Display for DateTimeConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the timestamp {} seconds since the epoch is out of the range of SystemTime",
            self.value.fmt_epoch_seconds()
        )
    }
}

impl StdError for DateTimeConversionError {}

/// Opaque binary data (a Smithy `blob`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Wraps `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            inner: bytes.into(),
        }
    }

    /// Takes the bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl fmt::Debug for Blob {
    /// Prints the length only: blobs may be large or secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.inner.len())
    }
}

/// An untyped JSON-like value (a Smithy `document`).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A map from strings to documents.
    Object(HashMap<String, Document>),
    /// A list of documents.
    Array(Vec<Document>),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// The null value.
    Null,
}

/// A number inside a [`Document`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer (always below zero when built by this module).
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// The value as `f64` (large integers lose precision).
    pub fn to_f64_lossy(self) -> f64 {
        match self {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(n) => n,
        }
    }
}

impl From<serde_json::Value> for Document {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(b),
            Value::String(s) => Document::String(s),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Document::Number(Number::PosInt(u))
                } else if let Some(i) = n.as_i64() {
                    Document::Number(Number::NegInt(i))
                } else if let Some(f) = n.as_f64() {
                    Document::Number(Number::Float(f))
                } else {
                    Document::Null
                }
            }
            Value::Array(items) => Document::Array(items.into_iter().map(Document::from).collect()),
            Value::Object(map) => Document::Object(
                map.into_iter()
                    .map(|(k, v)| (k, Document::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&serde_json::Value> for Document {
    fn from(v: &serde_json::Value) -> Self {
        Document::from(v.clone())
    }
}

impl From<&Document> for serde_json::Value {
    /// Converts to JSON. Non-finite floats, which JSON numbers cannot hold, become the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`.
    fn from(d: &Document) -> Self {
        use serde_json::Value;
        match d {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::String(s) => Value::String(s.clone()),
            Document::Number(Number::PosInt(n)) => Value::from(*n),
            Document::Number(Number::NegInt(n)) => Value::from(*n),
            Document::Number(Number::Float(f)) => match serde_json::Number::from_f64(*f) {
                Some(n) => Value::Number(n),
                None => Value::String(non_finite_name(*f).to_owned()),
            },
            Document::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            Document::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Document> for serde_json::Value {
    fn from(d: Document) -> Self {
        serde_json::Value::from(&d)
    }
}

/// The wire name of a non-finite float: `NaN`, `Infinity` or `-Infinity`.
pub fn non_finite_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

impl From<&str> for Document {
    fn from(s: &str) -> Self {
        Document::String(s.to_owned())
    }
}

impl From<String> for Document {
    fn from(s: String) -> Self {
        Document::String(s)
    }
}

impl From<bool> for Document {
    fn from(b: bool) -> Self {
        Document::Bool(b)
    }
}

impl From<i64> for Document {
    fn from(n: i64) -> Self {
        if n >= 0 {
            Document::Number(Number::PosInt(n.unsigned_abs()))
        } else {
            Document::Number(Number::NegInt(n))
        }
    }
}

impl From<i32> for Document {
    fn from(n: i32) -> Self {
        Document::from(i64::from(n))
    }
}

impl From<u64> for Document {
    fn from(n: u64) -> Self {
        Document::Number(Number::PosInt(n))
    }
}

impl From<f64> for Document {
    fn from(n: f64) -> Self {
        Document::Number(Number::Float(n))
    }
}

impl From<Vec<Document>> for Document {
    fn from(items: Vec<Document>) -> Self {
        Document::Array(items)
    }
}

impl From<HashMap<String, Document>> for Document {
    fn from(map: HashMap<String, Document>) -> Self {
        Document::Object(map)
    }
}

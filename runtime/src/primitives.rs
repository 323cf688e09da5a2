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

    /// Nanoseconds since the epoch.
    pub fn as_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SEC) + i128::from(self.subsec_nanos)
    }

    /// `secs` whole seconds plus `fraction` of a second (in `0.0..1.0`; values outside are
    /// clamped into it).
    pub fn from_fractional_secs(secs: i64, fraction: f64) -> Self {
        let nanos = (fraction.clamp(0.0, 1.0) * f64::from(NANOS_PER_SEC)) as u32;
        Self::from_secs_and_nanos(secs, nanos)
    }

    /// Whether the instant has a fraction of a second.
    pub fn has_subsec_nanos(&self) -> bool {
        self.subsec_nanos != 0
    }

    /// Replaces the whole seconds since the epoch.
    pub fn set_seconds(&mut self, seconds: i64) -> &mut Self {
        self.seconds = seconds;
        self
    }

    /// Replaces the nanoseconds past the second (values of a second or more are capped just
    /// below it).
    pub fn set_subsec_nanos(&mut self, nanos: u32) -> &mut Self {
        self.subsec_nanos = nanos.min(NANOS_PER_SEC - 1);
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanosecond_accessors_and_setters() {
        let mut t = DateTime::from_secs_and_nanos(-2, 500_000_000);
        assert_eq!(t.as_nanos(), -1_500_000_000);
        assert!(t.has_subsec_nanos());
        t.set_seconds(10).set_subsec_nanos(2_000_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (10, 999_999_999));
        assert!(!DateTime::from_secs(3).has_subsec_nanos());
        let f = DateTime::from_fractional_secs(7, 0.25);
        assert_eq!((f.secs(), f.subsec_nanos()), (7, 250_000_000));
        assert_eq!(DateTime::from_fractional_secs(7, 1.5).secs(), 8);
    }

    // Expected instants below were computed independently with GNU `date -u -d @<secs>`.
    const CASES: &[(i64, &str, &str)] = &[
        (0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT"),
        (
            1576540098,
            "2019-12-16T23:48:18Z",
            "Mon, 16 Dec 2019 23:48:18 GMT",
        ),
        (
            1398796238,
            "2014-04-29T18:30:38Z",
            "Tue, 29 Apr 2014 18:30:38 GMT",
        ),
        (
            1582934400,
            "2020-02-29T00:00:00Z",
            "Sat, 29 Feb 2020 00:00:00 GMT",
        ),
        (
            951782400,
            "2000-02-29T00:00:00Z",
            "Tue, 29 Feb 2000 00:00:00 GMT",
        ),
        (
            253402300799,
            "9999-12-31T23:59:59Z",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ),
        (
            -62135596800,
            "0001-01-01T00:00:00Z",
            "Mon, 01 Jan 0001 00:00:00 GMT",
        ),
    ];

    fn parse(s: &str, f: Format) -> DateTime {
        DateTime::from_str(s, f).unwrap()
    }

    #[test]
    fn whole_second_cases_format_and_parse_in_every_format() {
        for &(secs, rfc3339, http) in CASES {
            let t = DateTime::from_secs(secs);
            assert_eq!(t.fmt(Format::DateTime).unwrap(), rfc3339);
            assert_eq!(t.fmt(Format::HttpDate).unwrap(), http);
            assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), secs.to_string());
            assert_eq!(parse(rfc3339, Format::DateTime), t, "{rfc3339}");
            assert_eq!(parse(http, Format::HttpDate), t, "{http}");
            assert_eq!(parse(&secs.to_string(), Format::EpochSeconds), t);
        }
    }

    #[test]
    fn fractional_seconds_are_trimmed_and_round_trip() {
        let t = DateTime::from_secs_and_nanos(1576540098, 123_000_000);
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "2019-12-16T23:48:18.123Z");
        assert_eq!(
            t.fmt(Format::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18.123 GMT"
        );
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "1576540098.123");
        for f in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            assert_eq!(parse(&t.fmt(f).unwrap(), f), t, "{f}");
        }

        let micro = DateTime::from_secs_and_nanos(1576540098, 123_000);
        assert_eq!(
            micro.fmt(Format::DateTime).unwrap(),
            "2019-12-16T23:48:18.000123Z"
        );
        assert_eq!(
            micro.fmt(Format::EpochSeconds).unwrap(),
            "1576540098.000123"
        );
        // http-date carries milliseconds only; 123 microseconds is zero milliseconds.
        assert_eq!(
            micro.fmt(Format::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(
            parse("2019-12-16T23:48:18.000123Z", Format::DateTime),
            micro
        );
        assert_eq!(parse("1576540098.000123", Format::EpochSeconds), micro);

        let half = DateTime::from_secs_and_nanos(0, 500_000_000);
        assert_eq!(
            half.fmt(Format::DateTime).unwrap(),
            "1970-01-01T00:00:00.5Z"
        );
        assert_eq!(half.fmt(Format::EpochSeconds).unwrap(), "0.5");
    }

    #[test]
    fn negative_fractional_epoch_seconds() {
        let t = parse("-1.5", Format::EpochSeconds);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "-1.5");
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "1969-12-31T23:59:58.5Z");
        assert_eq!(t.as_secs_f64(), -1.5);
        assert_eq!(DateTime::from_secs_f64(-1.5), t);
        assert_eq!(DateTime::from_millis(-1500), t);
        assert!(t < DateTime::from_secs(-1));
        assert!(t > DateTime::from_secs(-2));
    }

    #[test]
    fn rfc3339_offsets_and_lower_case() {
        let utc = DateTime::from_secs(1576540098);
        // 2019-12-16T23:48:18+01:00 is 1576536498 (GNU date).
        assert_eq!(
            parse("2019-12-16T23:48:18+01:00", Format::DateTime),
            DateTime::from_secs(1576536498)
        );
        assert_eq!(parse("2019-12-17T01:18:18+01:30", Format::DateTime), utc);
        assert_eq!(parse("2019-12-16T20:48:18-03:00", Format::DateTime), utc);
        assert_eq!(parse("2019-12-16t23:48:18z", Format::DateTime), utc);
        assert_eq!(
            parse("2019-12-16T23:48:18.123456789Z", Format::DateTime),
            DateTime::from_secs_and_nanos(1576540098, 123_456_789)
        );
    }

    #[test]
    fn invalid_inputs_are_rejected_with_context() {
        let bad = [
            ("2019-12-16 23:48:18Z", Format::DateTime),
            ("2019-12-16X23:48:18Z", Format::DateTime),
            ("2019-12-16T23:48:18", Format::DateTime),
            ("2019-02-29T00:00:00Z", Format::DateTime),
            ("2019-13-01T00:00:00Z", Format::DateTime),
            ("", Format::DateTime),
            ("Tue, 29 Apr 2014 18:30:38", Format::HttpDate),
            ("Mon, 29 Apr 2014 18:30:38 GMT", Format::HttpDate),
            ("Tue, 29 Foo 2014 18:30:38 GMT", Format::HttpDate),
            ("Thu, 29 Feb 1900 00:00:00 GMT", Format::HttpDate),
            ("Tue, 29 Apr 2014 25:30:38 GMT", Format::HttpDate),
            ("Tue, 29 Apr 2014 18:30:38. GMT", Format::HttpDate),
            ("Tue, 29 Apr 2014 18:30:38 GMT x", Format::HttpDate),
            ("", Format::EpochSeconds),
            ("1.", Format::EpochSeconds),
            (".5", Format::EpochSeconds),
            ("1e5", Format::EpochSeconds),
            ("abc", Format::EpochSeconds),
            ("99999999999999999999", Format::EpochSeconds),
        ];
        for (input, format) in bad {
            let err = DateTime::from_str(input, format).unwrap_err();
            assert_eq!(err.input(), input);
            let text = err.to_string();
            assert!(text.contains(format.smithy_name()), "{text}");
            assert!(text.contains(&format!("`{input}`")), "{text}");
        }
    }

    #[test]
    fn http_date_accepts_fractional_seconds() {
        assert_eq!(
            parse("Tue, 29 Apr 2014 18:30:38.5 GMT", Format::HttpDate),
            DateTime::from_secs_and_nanos(1398796238, 500_000_000)
        );
    }

    #[test]
    fn years_outside_four_digits_cannot_be_formatted_as_calendar_dates() {
        let far = DateTime::from_secs(253402300800); // 10000-01-01
        let err = far.fmt(Format::DateTime).unwrap_err();
        assert!(err.to_string().contains("253402300800"), "{err}");
        assert!(far.fmt(Format::HttpDate).is_err());
        assert_eq!(far.fmt(Format::EpochSeconds).unwrap(), "253402300800");
        // Display falls back rather than failing.
        assert_eq!(far.to_string(), "253402300800 seconds since the epoch");
        assert_eq!(
            DateTime::from_secs(i64::MIN)
                .fmt(Format::EpochSeconds)
                .unwrap(),
            i64::MIN.to_string()
        );
    }

    #[test]
    fn from_secs_f64_rounds_to_microseconds() {
        let t = DateTime::from_secs_f64(1515531081.123);
        assert_eq!((t.secs(), t.subsec_nanos()), (1515531081, 123_000_000));
        let t = DateTime::from_secs_f64(1.9999999999);
        assert_eq!((t.secs(), t.subsec_nanos()), (2, 0));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), DateTime::from_secs(0));
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY).secs(), i64::MAX);
        assert_eq!(DateTime::from_secs_f64(f64::NEG_INFINITY).secs(), i64::MIN);
    }

    #[test]
    fn constructors_normalise() {
        let t = DateTime::from_secs_and_nanos(1, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (3, 500_000_000));
        let t = DateTime::from_millis(1_576_540_098_123);
        assert_eq!((t.secs(), t.subsec_nanos()), (1576540098, 123_000_000));
        assert_eq!(t.to_millis(), Some(1_576_540_098_123));
        assert_eq!(DateTime::from_millis(-1).to_millis(), Some(-1));
    }

    #[test]
    fn system_time_conversions() {
        let after = UNIX_EPOCH + Duration::new(1576540098, 123);
        let t = DateTime::from(after);
        assert_eq!((t.secs(), t.subsec_nanos()), (1576540098, 123));
        assert_eq!(SystemTime::try_from(t).unwrap(), after);

        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        let t = DateTime::from(before);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(SystemTime::try_from(t).unwrap(), before);

        let whole_before = UNIX_EPOCH - Duration::from_secs(10);
        assert_eq!(DateTime::from(whole_before), DateTime::from_secs(-10));
    }

    #[test]
    fn debug_and_display_are_rfc3339() {
        let t = DateTime::from_secs(1576540098);
        assert_eq!(t.to_string(), "2019-12-16T23:48:18Z");
        assert_eq!(format!("{t:?}"), "2019-12-16T23:48:18Z");
    }

    #[test]
    fn blob_basics() {
        let b = Blob::new("hi");
        assert_eq!(b.as_ref(), b"hi");
        assert_eq!(format!("{b:?}"), "Blob(2 bytes)");
        assert_eq!(b.clone().into_inner(), b"hi".to_vec());
        assert!(Blob::default().is_empty());
    }

    #[test]
    fn document_json_round_trip() {
        let json = serde_json::json!({
            "s": "x", "b": true, "n": null, "pos": 18446744073709551615u64,
            "neg": -5, "f": 1.5, "a": [1, "two", [null]]
        });
        let doc = Document::from(json.clone());
        let Document::Object(map) = &doc else {
            panic!("expected an object, got {doc:?}")
        };
        assert_eq!(map["pos"], Document::Number(Number::PosInt(u64::MAX)));
        assert_eq!(map["neg"], Document::Number(Number::NegInt(-5)));
        assert_eq!(map["f"], Document::Number(Number::Float(1.5)));
        assert_eq!(map["n"], Document::Null);
        assert_eq!(serde_json::Value::from(&doc), json);
    }

    #[test]
    fn document_from_scalars() {
        assert_eq!(Document::from("a"), Document::String("a".into()));
        assert_eq!(
            Document::from(String::from("a")),
            Document::String("a".into())
        );
        assert_eq!(Document::from(true), Document::Bool(true));
        assert_eq!(Document::from(3i64), Document::Number(Number::PosInt(3)));
        assert_eq!(Document::from(-3i64), Document::Number(Number::NegInt(-3)));
        assert_eq!(Document::from(0.5), Document::Number(Number::Float(0.5)));
        assert_eq!(
            serde_json::Value::from(&Document::from(f64::NAN)),
            serde_json::Value::String("NaN".into())
        );
        assert_eq!(
            serde_json::Value::from(&Document::from(f64::NEG_INFINITY)),
            serde_json::Value::String("-Infinity".into())
        );
    }
}

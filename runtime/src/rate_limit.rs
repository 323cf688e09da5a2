//! The client-side rate limiter of the AWS SDKs' "adaptive" retry mode.
//!
//! Adaptive mode is standard mode plus this limiter: a token bucket that every attempt (the
//! first one included) takes a token from. It does nothing until the service first throttles
//! the client; from then on its fill rate follows the CUBIC congestion-control curve: a throttle
//! cuts the rate to 70% of the rate the client was sending at, and successes grow it back
//! along a cubic curve centred on that rate (slowly near it, faster further away), never above
//! twice the measured sending rate. An attempt that finds the bucket empty waits until the
//! bucket would have refilled.
//!
//! The rate is measured in half-second buckets, smoothed exponentially. Times are seconds as
//! `f64`, read from the client's [`TimeSource`](crate::contract::time::TimeSource) by the
//! orchestrator, so tests can drive the limiter with a fake clock.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How much of the sending rate a throttle keeps.
const BETA: f64 = 0.7;
/// How quickly the rate grows back after a throttle.
const SCALE_CONSTANT: f64 = 0.4;
/// The weight of the newest measurement in the smoothed sending rate.
const SMOOTH: f64 = 0.8;
/// The slowest fill rate, in tokens per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The smallest bucket.
const MIN_CAPACITY: f64 = 1.0;

/// The limiter shared by the calls of one client (see the module documentation).
#[derive(Debug)]
pub struct ClientRateLimiter {
    state: Mutex<State>,
}

#[derive(Debug, Clone)]
struct State {
    /// Whether a throttle has been seen (until then every token is free).
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    /// Tokens in the bucket; negative while callers that were told to wait are paying back.
    capacity: f64,
    last_refill: Option<f64>,
    /// The smoothed sending rate, in requests per second.
    measured_rate: f64,
    /// Start of the half-second bucket the current request count belongs to.
    rate_bucket: f64,
    request_count: u64,
    /// The sending rate when the last throttle happened.
    last_max_rate: f64,
    last_throttle: f64,
    /// Seconds after a throttle at which the cubic curve is back at `last_max_rate`.
    time_window: f64,
}

impl ClientRateLimiter {
    /// A limiter created at time `now` (seconds).
    pub fn new(now: f64) -> Self {
        Self {
            state: Mutex::new(State {
                enabled: false,
                fill_rate: MIN_FILL_RATE,
                max_capacity: MIN_CAPACITY,
                capacity: 0.0,
                last_refill: None,
                measured_rate: 0.0,
                rate_bucket: now.floor(),
                request_count: 0,
                last_max_rate: 0.0,
                last_throttle: now,
                time_window: 0.0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means another thread panicked while updating plain numbers.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a token for an attempt at time `now`; returns how long the attempt must wait
    /// first (zero until the service has throttled this client, or while tokens are left).
    pub fn acquire(&self, now: f64) -> Duration {
        let mut state = self.lock();
        if !state.enabled {
            return Duration::ZERO;
        }
        state.refill(now);
        let wait = if state.capacity >= 1.0 {
            0.0
        } else {
            (1.0 - state.capacity) / state.fill_rate
        };
        state.capacity -= 1.0;
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX)
    }

    /// Records the response of an attempt at time `now`: `throttled` when the service asked
    /// the client to slow down.
    pub fn record(&self, now: f64, throttled: bool) {
        let mut state = self.lock();
        state.update_measured_rate(now);
        let calculated = if throttled {
            let rate = if state.enabled {
                state.measured_rate.min(state.fill_rate)
            } else {
                state.measured_rate
            };
            state.last_max_rate = rate;
            state.update_time_window();
            state.last_throttle = now;
            state.enabled = true;
            rate * BETA
        } else {
            state.update_time_window();
            state.cubic_success(now)
        };
        let new_rate = calculated.min(2.0 * state.measured_rate);
        state.set_fill_rate(now, new_rate);
    }

    /// Whether a throttle has switched the limiter on.
    pub fn is_enabled(&self) -> bool {
        self.lock().enabled
    }

    /// The current fill rate, in tokens per second.
    pub fn fill_rate(&self) -> f64 {
        self.lock().fill_rate
    }

    /// The smoothed sending rate, in requests per second.
    pub fn measured_rate(&self) -> f64 {
        self.lock().measured_rate
    }
}

impl State {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let elapsed = (now - last).max(0.0);
            self.capacity = (self.capacity + elapsed * self.fill_rate).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.request_count += 1;
        if bucket > self.rate_bucket {
            let current = self.request_count as f64 / (bucket - self.rate_bucket);
            self.measured_rate = current * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.rate_bucket = bucket;
        }
    }

    fn update_time_window(&mut self) {
        self.time_window = (self.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
    }

    fn cubic_success(&self, now: f64) -> f64 {
        let dt = now - self.last_throttle;
        SCALE_CONSTANT * (dt - self.time_window).powi(3) + self.last_max_rate
    }

    fn set_fill_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// The CUBIC curve after a throttle at a sending rate of 10/s, at t = 5: the rate drops to
    /// 7, is back at 10 about 1.957 s later (the cube root of 7.5) and grows faster and faster.
    /// The values are the curve's, worked out by hand: 0.4 (dt - 1.9574)^3 + 10.
    #[test]
    fn the_fill_rate_follows_the_cubic_curve() {
        let limiter = ClientRateLimiter::new(0.0);
        {
            let mut state = limiter.lock();
            state.measured_rate = 10.0;
            state.last_max_rate = 10.0;
            state.last_throttle = 5.0;
            state.update_time_window();
        }
        assert!(close(limiter.lock().time_window, 7.5f64.cbrt()));
        let expected = [
            (5.0, 7.0),
            (6.0, 9.648_936_009_66),
            (7.0, 10.000_030_849_917_364),
            (8.0, 10.453_284_520_772_092),
            (9.0, 13.408_697_022_224_185),
            (10.0, 21.266_268_354_273_64),
            (11.0, 36.425_998_516_920_465),
        ];
        for (t, rate) in expected {
            let got = limiter.lock().cubic_success(t);
            assert!((got - rate).abs() < 1e-6, "t = {t}: {got} != {rate}");
        }
    }

    #[test]
    fn nothing_waits_before_the_first_throttle() {
        let limiter = ClientRateLimiter::new(100.0);
        for i in 0..1_000 {
            let now = 100.0 + f64::from(i) * 0.001;
            assert_eq!(limiter.acquire(now), Duration::ZERO);
            limiter.record(now, false);
        }
        assert!(!limiter.is_enabled());
    }

    #[test]
    fn a_throttle_cuts_the_rate_and_makes_callers_wait() {
        let limiter = ClientRateLimiter::new(0.0);
        // 20 requests per second for two seconds: the measured rate approaches 20.
        let mut now = 0.0;
        for _ in 0..40 {
            now += 0.05;
            assert_eq!(limiter.acquire(now), Duration::ZERO);
            limiter.record(now, false);
        }
        let measured = limiter.measured_rate();
        assert!((15.0..=21.0).contains(&measured), "{measured}");
        limiter.record(now, true);
        assert!(limiter.is_enabled());
        let rate = limiter.fill_rate();
        assert!(
            close(rate, limiter.lock().last_max_rate * BETA),
            "{rate} after measuring {measured}"
        );
        // Attempts at the same instant take what the bucket holds (at most one second's worth
        // at the new rate), then wait: each one a token's time (1 / rate) longer than the last.
        let mut free = 0;
        let mut waits = Vec::new();
        for _ in 0..100 {
            match limiter.acquire(now).as_secs_f64() {
                0.0 => free += 1,
                wait => waits.push(wait),
            }
        }
        assert!(
            f64::from(free) <= rate.ceil(),
            "{free} free tokens at rate {rate}"
        );
        assert!(waits.len() >= 50, "{waits:?}");
        for pair in waits.windows(2) {
            assert!(
                close(pair[1] - pair[0], 1.0 / rate),
                "{pair:?} at rate {rate}"
            );
        }
        let debt = waits.last().copied().unwrap_or_default();
        // Once the debt is paid back (time passes), attempts no longer wait.
        let later = now + debt + 1.0;
        assert_eq!(limiter.acquire(later), Duration::ZERO);
    }

    #[test]
    fn successes_grow_the_rate_back_but_never_above_twice_the_measured_rate() {
        let limiter = ClientRateLimiter::new(0.0);
        let mut now = 0.0;
        for _ in 0..20 {
            now += 0.1;
            limiter.record(now, false);
        }
        limiter.record(now, true);
        let throttled = limiter.fill_rate();
        let mut last = throttled;
        for _ in 0..100 {
            now += 0.1;
            limiter.record(now, false);
            let rate = limiter.fill_rate();
            assert!(rate <= 2.0 * limiter.measured_rate() + 1e-9, "{rate}");
            last = rate;
        }
        assert!(last > throttled, "{last} <= {throttled}");
    }

    #[test]
    fn the_rate_never_falls_below_the_minimum() {
        let limiter = ClientRateLimiter::new(0.0);
        for i in 0..50 {
            limiter.record(f64::from(i) * 10.0, true);
            assert!(limiter.fill_rate() >= MIN_FILL_RATE);
        }
        // At the minimum rate an empty bucket makes the next attempt wait 2 s.
        let wait = limiter.acquire(500.0);
        assert!(wait <= Duration::from_secs(2), "{wait:?}");
    }
}

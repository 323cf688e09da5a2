//! Unsigned big integers as CBOR bignums carry them (big-endian bytes) and as Smithy's
//! `bigInteger` / `bigDecimal` text carries them (decimal digits), and the conversions between
//! the two. Lengths are bounded by the callers (`MAX_BIGNUM_BYTES`), since both conversions take
//! time quadratic in the length.

/// 10^9: the base of the decimal limbs.
const BILLION: u64 = 1_000_000_000;

/// The decimal digits of the big-endian magnitude `bytes` (`"0"` for no bytes or all zeros).
pub(super) fn to_decimal(bytes: &[u8]) -> String {
    // Base-10^9 limbs, least significant first.
    let mut limbs: Vec<u32> = Vec::with_capacity(bytes.len() * 8 / 29 + 1);
    for &byte in bytes {
        let mut carry = u64::from(byte);
        for limb in &mut limbs {
            let value = u64::from(*limb) * 256 + carry;
            // value % BILLION < 10^9 fits in u32.
            *limb = (value % BILLION) as u32;
            carry = value / BILLION;
        }
        while carry > 0 {
            limbs.push((carry % BILLION) as u32);
            carry /= BILLION;
        }
    }
    let Some((most, rest)) = limbs.split_last() else {
        return "0".to_owned();
    };
    let mut out = most.to_string();
    for limb in rest.iter().rev() {
        out.push_str(&format!("{limb:09}"));
    }
    out
}

/// The big-endian magnitude (no leading zero bytes; empty for zero) of `digits`, which must be
/// ASCII decimal digits only.
pub(super) fn from_decimal(digits: &str) -> Vec<u8> {
    // Base-256 bytes, least significant first.
    let mut bytes: Vec<u8> = Vec::with_capacity(digits.len() * 10 / 24 + 1);
    for chunk in digits.as_bytes().chunks(9) {
        let mut scale = 1u64;
        let mut addend = 0u64;
        for &digit in chunk {
            scale *= 10;
            addend = addend * 10 + u64::from(digit - b'0');
        }
        let mut carry = addend;
        for byte in &mut bytes {
            // byte * scale + carry < 256 * 10^9 + 2^32: no overflow.
            let value = u64::from(*byte) * scale + carry;
            *byte = value as u8;
            carry = value >> 8;
        }
        while carry > 0 {
            bytes.push(carry as u8);
            carry >>= 8;
        }
    }
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    bytes.reverse();
    bytes
}

/// Adds one to the big-endian magnitude `bytes` (growing it when it carries out).
pub(super) fn increment(bytes: &mut Vec<u8>) {
    for byte in bytes.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            return;
        }
    }
    bytes.insert(0, 1);
}

/// Subtracts one from the big-endian magnitude `bytes`, which must not be zero, and drops a
/// leading zero byte that leaves.
pub(super) fn decrement(bytes: &mut Vec<u8>) {
    for byte in bytes.iter_mut().rev() {
        let (difference, borrow) = byte.overflowing_sub(1);
        *byte = difference;
        if !borrow {
            break;
        }
    }
    if bytes.first() == Some(&0) {
        bytes.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_conversions_agree_with_u128_arithmetic() {
        let values = [
            0u128,
            1,
            255,
            256,
            999_999_999,
            1_000_000_000,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            18_446_744_073_709_551_616_123,
            u128::MAX,
        ];
        for value in values {
            let bytes = value.to_be_bytes();
            let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
            let magnitude = &bytes[first..];
            assert_eq!(to_decimal(magnitude), value.to_string());
            assert_eq!(from_decimal(&value.to_string()), magnitude);
        }
        assert_eq!(to_decimal(&[0, 0, 1]), "1");
        assert_eq!(from_decimal("000"), Vec::<u8>::new());
        assert_eq!(from_decimal("0000000000000000000001"), vec![1]);
    }

    #[test]
    fn increment_and_decrement_carry_across_bytes() {
        let mut bytes = vec![0xff, 0xff];
        increment(&mut bytes);
        assert_eq!(bytes, [1, 0, 0]);
        decrement(&mut bytes);
        assert_eq!(bytes, [0xff, 0xff]);
        let mut one = vec![1];
        decrement(&mut one);
        assert!(one.is_empty());
        let mut empty = Vec::new();
        increment(&mut empty);
        assert_eq!(empty, [1]);
    }

    #[test]
    fn a_hundred_digit_number_round_trips() {
        let digits = "1234567890".repeat(10);
        assert_eq!(to_decimal(&from_decimal(&digits)), digits);
    }
}

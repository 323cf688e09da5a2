//! Half-precision (IEEE 754 binary16) floats, which CBOR encoders use for values such as `0.0`,
//! `1.5`, infinities and NaN.

/// The `f32` with the value of the half-precision float whose bits are `bits` (every half
/// value, subnormals included, is exactly an `f32`).
pub(super) fn f16_to_f32(bits: u16) -> f32 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = (bits >> 10) & 0x1f;
    let mantissa = u32::from(bits & 0x03ff);
    match exponent {
        // Subnormal (and zero): mantissa * 2^-24, exact in f32.
        0 => sign * (mantissa as f32) * f32::from_bits(0x3380_0000),
        // Infinity, or NaN with the payload moved to the top of the f32 mantissa.
        0x1f if mantissa == 0 => sign * f32::INFINITY,
        0x1f => f32::from_bits((u32::from(bits & 0x8000) << 16) | 0x7f80_0000 | (mantissa << 13)),
        // Normal: rebias the exponent from 15 to 127 and widen the mantissa.
        _ => f32::from_bits(
            (u32::from(bits & 0x8000) << 16)
                | ((u32::from(exponent) + 127 - 15) << 23)
                | (mantissa << 13),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::f16_to_f32;

    #[test]
    fn half_floats_from_rfc_8949_appendix_a() {
        let cases: [(u16, f32); 10] = [
            (0x0000, 0.0),
            (0x3c00, 1.0),
            (0x3e00, 1.5),
            (0x7bff, 65504.0),
            (0x0001, 5.960_464_5e-8),
            (0x0400, 0.000_061_035_156),
            (0xc400, -4.0),
            (0x7c00, f32::INFINITY),
            (0xfc00, f32::NEG_INFINITY),
            (0x3555, 0.333_251_95),
        ];
        for (bits, value) in cases {
            assert_eq!(f16_to_f32(bits), value, "{bits:#06x}");
        }
        assert!(f16_to_f32(0x7e00).is_nan());
        assert!(f16_to_f32(0x8000).is_sign_negative() && f16_to_f32(0x8000) == 0.0);
        // 2^-24 is the smallest subnormal.
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
    }
}

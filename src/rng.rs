//! Deterministic pseudo-random numbers for seeded parts of a simulation.
//!
//! The simulator must give bit-identical results natively and on wasm32, so it
//! cannot use a platform RNG or libm functions whose last bits differ between
//! targets. This module provides SplitMix64 (integer only) and an exponential
//! sampler whose logarithm is computed with IEEE-754 basic operations alone
//! (`+ - * /`), which every target rounds identically.

/// SplitMix64 generator (Steele, Lea, Flood 2014): 64 bits of state, integer
/// arithmetic only, so it runs identically on every target.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// A generator for one of several independent streams derived from `seed`.
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut mixer = Self::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        Self::new(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in the open interval (0, 1), with 53 bits of precision.
    pub fn next_open01(&mut self) -> f64 {
        // (k + 0.5) / 2^53 for k in [0, 2^53) never reaches 0 or 1.
        let k = self.next_u64() >> 11;
        (k as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// An exponentially distributed duration with the given mean, in whole
    /// nanoseconds (at least 1).
    pub fn exponential_ns(&mut self, mean_ns: f64) -> u64 {
        let u = self.next_open01();
        let x = -det_ln(u) * mean_ns;
        if x < 1.0 {
            1
        } else if x >= u64::MAX as f64 {
            u64::MAX
        } else {
            x as u64
        }
    }
}

/// Natural logarithm of a positive, finite `x` using only basic IEEE-754
/// operations, so that it gives the same bits on every target.
///
/// Range reduction: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
/// ln(m) = 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.1716, summed as an
/// odd power series to well below one part in 10^15.
pub fn det_ln(x: f64) -> f64 {
    debug_assert!(x > 0.0 && x.is_finite());
    const LN2: f64 = std::f64::consts::LN_2;
    let bits = x.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant_bits = bits & 0x000f_ffff_ffff_ffff;
    if exp == 0 {
        // Subnormal: normalise by scaling with an exact power of two.
        let scaled = x * 18_014_398_509_481_984.0; // 2^54
        let b = scaled.to_bits();
        exp = ((b >> 52) & 0x7ff) as i64 - 54;
        mant_bits = b & 0x000f_ffff_ffff_ffff;
    }
    let mut e = exp - 1023;
    let mut m = f64::from_bits(mant_bits | 0x3ff0_0000_0000_0000); // in [1, 2)
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + (e as f64) * LN2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn det_ln_matches_std_closely() {
        for &x in &[
            1e-300, 1e-20, 0.001, 0.3, 0.5, 0.999, 1.0, 1.5, 2.0, 10.0, 1e10, 1e300,
        ] {
            let a = det_ln(x);
            let b = x.ln();
            assert!(
                (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                "x={x} {a} vs {b}"
            );
        }
    }

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let mut a = SplitMix64::stream(7, 1);
        let mut b = SplitMix64::stream(7, 1);
        let mut c = SplitMix64::stream(7, 2);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut r = SplitMix64::new(42);
        let n = 200_000u64;
        let total: u64 = (0..n).map(|_| r.exponential_ns(1_000_000.0)).sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 1_000_000.0).abs() < 10_000.0, "mean {mean}");
    }

    #[test]
    fn open01_never_hits_bounds() {
        let mut r = SplitMix64::new(0);
        for _ in 0..10_000 {
            let u = r.next_open01();
            assert!(u > 0.0 && u < 1.0);
        }
    }
}

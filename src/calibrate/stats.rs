//! Summaries of repeated measurements: median, quartiles and the relative
//! spread the harness uses to decide whether a figure can be trusted.

/// The summary of one metric's repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// Median of the repeats.
    pub median: f64,
    /// Interquartile range divided by the median's magnitude (0 when every
    /// repeat agrees; infinite when the median is zero and the repeats differ).
    pub spread: f64,
    /// Number of repeats.
    pub repeats: u32,
}

/// The `q` quantile (0..=1) of sorted values, interpolating linearly.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Summarise finite values; `None` when there are none.
pub fn summarise(values: &[f64]) -> Option<Stat> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let median = quantile(&v, 0.5);
    let iqr = quantile(&v, 0.75) - quantile(&v, 0.25);
    let spread = if iqr == 0.0 {
        0.0
    } else if median == 0.0 {
        f64::INFINITY
    } else {
        iqr / median.abs()
    };
    Some(Stat {
        median,
        spread,
        repeats: v.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_spread() {
        let s = summarise(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(s.median, 2.0);
        // Quartiles 1.5 and 2.5: IQR 1 over median 2.
        assert_eq!(s.spread, 0.5);
        assert_eq!(s.repeats, 3);
        let s = summarise(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 2.5);
        assert_eq!(summarise(&[5.0; 7]).unwrap().spread, 0.0);
    }

    #[test]
    fn non_finite_values_are_dropped() {
        assert!(summarise(&[]).is_none());
        assert!(summarise(&[f64::NAN]).is_none());
        let s = summarise(&[1.0, f64::INFINITY, 1.0]).unwrap();
        assert_eq!((s.median, s.repeats), (1.0, 2));
        assert_eq!(summarise(&[-1.0, 0.0, 1.0]).unwrap().spread, f64::INFINITY);
    }
}

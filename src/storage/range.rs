//! Byte ranges of a download, with HTTP's three shapes (`bytes=a-b`, `bytes=a-`,
//! `bytes=-n`) and HTTP's rules for ranges that run past the end.

use std::ops::Range;

/// Part of an object to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// Bytes `first..=last`; a `last` past the end means "to the end".
    Inclusive { first: u64, last: u64 },
    /// From `first` to the end.
    From(u64),
    /// The last `n` bytes (the whole object when it is shorter).
    Last(u64),
}

impl ByteRange {
    /// The bytes this range covers in an object of `size` bytes; `None` when it covers none
    /// (HTTP's 416).
    pub fn within(self, size: u64) -> Option<Range<u64>> {
        let range = match self {
            ByteRange::Inclusive { first, last } if first <= last => {
                first..last.saturating_add(1).min(size)
            }
            ByteRange::Inclusive { .. } => return None,
            ByteRange::From(first) => first..size,
            ByteRange::Last(n) => size.saturating_sub(n)..size,
        };
        (range.start < range.end).then_some(range)
    }
}

#[cfg(test)]
mod tests {
    use super::ByteRange::*;

    #[test]
    fn ranges_follow_http() {
        assert_eq!(Inclusive { first: 0, last: 9 }.within(100), Some(0..10));
        assert_eq!(
            Inclusive {
                first: 90,
                last: 200
            }
            .within(100),
            Some(90..100)
        );
        assert_eq!(
            Inclusive {
                first: 100,
                last: 200
            }
            .within(100),
            None
        );
        assert_eq!(Inclusive { first: 5, last: 4 }.within(100), None);
        assert_eq!(From(40).within(100), Some(40..100));
        assert_eq!(From(100).within(100), None);
        assert_eq!(Last(10).within(100), Some(90..100));
        assert_eq!(Last(500).within(100), Some(0..100));
        assert_eq!(Last(0).within(100), None);
        assert_eq!(From(0).within(0), None);
    }
}

//! The time stamps written into annotations.

/// Now, in UTC, to the second: annotation files carry whole seconds, so an edit and its
/// saved copy compare equal.
#[must_use]
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

//! A value computed from some inputs, kept until they change: one helper with a typed key
//! for every cache of the app, instead of tuple keys and counters kept beside the state.

/// `V` computed for the key `K`.
pub struct Memo<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`, computed by `compute` unless it was for that key already.
    pub fn get_or_update(&mut self, key: K, compute: impl FnOnce() -> V) -> &V {
        if !self.is_for(&key) {
            self.entry = Some((key, compute()));
        }
        match &self.entry {
            Some((_, v)) => v,
            None => unreachable!("filled just above"),
        }
    }

    /// The value kept, whatever key it was for.
    #[must_use]
    pub fn last(&self) -> Option<&V> {
        self.entry.as_ref().map(|(_, v)| v)
    }

    /// True when the value kept is for `key`.
    #[must_use]
    pub fn is_for(&self, key: &K) -> bool {
        self.entry.as_ref().is_some_and(|(k, _)| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recomputes_only_when_the_key_changes() {
        let mut memo = Memo::default();
        let mut runs = 0;
        for key in [1, 1, 2, 2, 1] {
            memo.get_or_update(key, || {
                runs += 1;
                key * 10
            });
        }
        assert_eq!(runs, 3);
        assert_eq!(memo.last(), Some(&10));
        assert!(memo.is_for(&1));
    }
}

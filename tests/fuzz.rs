//! Mutants of the real chapters are refused with problems or played to
//! the end: never a panic. (The long run: `jingkang fuzz --mutants 10000`.)

use jingkang::fuzz::{Mutation, chapters, trial};
use proptest::prelude::*;

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (
            any::<usize>(),
            prop_oneof![Just(1usize), Just(40), Just(3_000)]
        )
            .prop_map(|(line, times)| Mutation::DuplicateLine { line, times }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
        (
            any::<usize>(),
            prop_oneof![
                Just(-1i128),
                Just(101),
                Just(i128::from(i32::MAX)),
                Just(i128::from(i64::MIN)),
                Just(i128::MAX)
            ]
        )
            .prop_map(|(nth, value)| Mutation::HugeNumber { nth, value }),
        (
            any::<usize>(),
            prop_oneof![Just(0usize), Just(81), Just(100_000), Just(2_000_000)],
            prop_oneof![
                Just('a'),
                Just('Z'),
                Just('/'),
                Just('長'),
                Just('\u{202e}')
            ]
        )
            .prop_map(|(nth, len, ch)| Mutation::HugeString { nth, len, ch }),
        (
            any::<usize>(),
            prop_oneof![Just(3usize), Just(129), Just(50_000)]
        )
            .prop_map(|(at, depth)| Mutation::DeepNesting { at, depth }),
        any::<usize>().prop_map(|at| Mutation::Control { at }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutants_of_the_chapters_are_refused_with_reasons_or_played_never_panic(
        chapter in 0..8usize,
        file in 0..4usize,
        muts in proptest::collection::vec(mutation(), 1..4),
    ) {
        let list = chapters();
        let t = trial(&list[chapter % list.len()], file, &muts);
        prop_assert!(t.loaded || t.problems > 0, "refused without a reason: {muts:?}");
    }
}

//! Rebuild when the embedded data changes.
fn main() {
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=scenarios");
}

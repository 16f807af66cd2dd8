// Evaluation allocates and frees many small values; mimalloc makes a check of
// the built-in library faster than the system allocator does (BENCHMARKS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    railyard::cli::main()
}

//! A rule group compiled to regorus' bytecode VM (RVM).
//!
//! regorus 0.14.1 ships two evaluators over the same parsed policies: the
//! tree-walking interpreter, and a compiler to register-machine bytecode that
//! runs the same group several times faster (no per-lookup path building, no
//! walking every module for each `data` reference). Railyard compiles each
//! group's modules to a program once, on first use, and runs every document of
//! that group on a VM of the calling thread over the shared program (a VM
//! resets its state on each run; keeping one per thread keeps its register
//! pools and spares checking `data` against the rules every time).
//!
//! The interpreter stays the reference (`policy check` and `policy test` use
//! it unless told otherwise). A group keeps it when its program cannot be
//! built: a module the guard rewrite cannot handle (see guard.rs), a call the
//! VM does not know (`walk`, `print`, Railyard's extensions such as
//! `net.cidr_merge` and `data.railyard.context`), or any compile error.
//!
//! Where the two still differ (docs/compatibility.md):
//! the VM turns a built-in function's error (`startswith(5, "a")`, `1 / 0`)
//! into an undefined value, and an error inside a rule body into a failed
//! body, where the interpreter (and OPA) report an error. The VM is left
//! non-strict because its strict mode also refuses comparisons across types,
//! which OPA allows. An error the VM does raise (the deadline aside) sends the
//! document through the interpreter, which says which rule failed and where.

mod guard;

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;

use super::{add_policy, context, evaluate, PolicySource};

/// Which evaluator runs a rule group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// regorus' interpreter for every group (the reference).
    #[default]
    Interpreter,
    /// regorus' bytecode VM where the group compiles to it, else the interpreter.
    Vm,
}

/// One group's program, the `data` it runs against, and a VM per thread that ran it.
pub(super) struct GroupProgram {
    program: Arc<Program>,
    data: regorus::Value,
    vms: thread_local::ThreadLocal<RefCell<RegoVM>>,
}

impl std::fmt::Debug for GroupProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupProgram")
            .field("instructions", &self.program.instructions.len())
            .finish_non_exhaustive()
    }
}

/// Compiles `query` (a group's `out` rule) over `policies`, `data` and the
/// group's generated `batch` module.
pub(super) fn compile(
    policies: &[&PolicySource],
    data: &[regorus::Value],
    batch: &str,
    batch_path: &str,
    query: &str,
) -> anyhow::Result<GroupProgram> {
    let mut engine = regorus::Engine::new();
    for policy in policies {
        let guarded = guarded(policy)?;
        add_policy(&mut engine, &guarded)?;
    }
    for value in data {
        engine.add_data(value.clone())?;
    }
    // Registered so that a policy reading the context fails to compile here
    // (the VM cannot call the extension) instead of reading it as undefined.
    context::register(&mut engine)?;
    engine.add_policy(batch_path.to_owned(), batch.to_owned())?;
    let compiled = engine.compile_with_entrypoint(&query.into())?;
    let program = Compiler::compile_from_policy(&compiled, &[query])
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("compiling to VM bytecode")?;
    Ok(GroupProgram {
        program,
        data: engine.get_data(),
        vms: thread_local::ThreadLocal::new(),
    })
}

/// The policy with its assignments guarded (see guard.rs).
fn guarded(policy: &PolicySource) -> anyhow::Result<PolicySource> {
    let mut probe = regorus::Engine::new();
    add_policy(&mut probe, policy)?;
    let module = probe
        .get_modules()
        .iter()
        .find(|m| m.package.span.source.file() == &policy.path)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{}: parsed to no module", policy.path))?;
    let text = guard::guard(&module, &policy.text).map_err(|e| match e.line {
        0 => anyhow::anyhow!("{}: regorus' positions do not fit the text", policy.path),
        line => anyhow::anyhow!(
            "{}:{line}: assignment in a body without braces",
            policy.path
        ),
    })?;
    Ok(PolicySource {
        path: policy.path.clone(),
        text,
    })
}

impl GroupProgram {
    /// Runs the program on `input` within `deadline`.
    pub fn run(&self, input: regorus::Value, deadline: Duration) -> anyhow::Result<regorus::Value> {
        let cell = self.vms.get_or_try(|| self.new_vm().map(RefCell::new))?;
        // Only this thread uses its VM, and `run` does not call itself.
        let mut vm = cell
            .try_borrow_mut()
            .map_err(|_| anyhow::anyhow!("the VM of this thread is already running"))?;
        vm.set_input(input);
        vm.set_execution_timer_config(Some(evaluate::timer(deadline)));
        let result = vm.execute();
        // Let go of the document: the registers and the rule cache hold parts
        // of it (the arguments of the last built-in call stay until the next run).
        vm.set_input(regorus::Value::Null);
        vm.load_program(self.program.clone());
        Ok(result?)
    }

    fn new_vm(&self) -> anyhow::Result<RegoVM> {
        let mut vm = RegoVM::new();
        vm.load_program(self.program.clone());
        vm.set_data(self.data.clone())?;
        // The deadline bounds the work; an instruction count would also cut
        // off large, legitimate documents (the VM's default is 25,000).
        vm.set_max_instructions(usize::MAX);
        Ok(vm)
    }
}

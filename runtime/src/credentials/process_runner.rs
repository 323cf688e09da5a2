//! Runs one `credential_process` command to its end on a thread of its own, for an async caller
//! that may stop waiting at any time.
//!
//! The thread starts the command, reads its standard output and standard error together (so that
//! it never blocks on a full pipe), waits for it to exit and reaps it. The caller waits on a
//! channel with its timeout; when the timeout passes or the caller's future is dropped, the
//! command's process group is killed and the thread wakes up, reaps it and ends. Running
//! the command under `std::process` rather than `tokio::process` keeps tokio's `process` feature
//! (and its SIGCHLD handling: `signal-hook-registry`, `errno`) out of every program that uses
//! the runtime; a credential load is rare enough that one short-lived thread per load costs
//! nothing that matters.
//!
//! Guarantees, on Unix:
//!
//! - the command runs in its own process group, and whatever ends the run early (timeout, more
//!   than [`MAX_PROCESS_STDOUT`] bytes of output, a read error, the caller dropping its future)
//!   kills the whole group with `SIGKILL`;
//! - the command is reaped by the thread before the thread ends: no zombie is left, whether or
//!   not an async runtime is still running;
//! - the process group is killed only while its leader (the command) is not reaped, so its id
//!   cannot have been reused by an unrelated process: the thread waits for the exit without
//!   reaping (`waitid` with `WNOWAIT`) and reaps under the same lock that killers take;
//! - the thread never outlives a stopped run by more than the time the kill takes: a process that
//!   left the group (`setsid`) and still holds the pipes open cannot keep the thread reading,
//!   because it also watches a wake-up pipe that stopping closes.
//!
//! On other platforms (Windows) there are no process groups: only the command itself is killed,
//! its exit is polled every 10 ms, and a process it started that keeps the pipes open keeps the
//! reading thread until that process ends (the caller still gets its error at the timeout).

use std::io::{self, PipeReader, PipeWriter, Read};
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::process::{MAX_PROCESS_STDERR, MAX_PROCESS_STDOUT};

/// How long a stopped run is given to be reaped before the caller's error is returned anyway (a
/// killed process exits at once; this bounds the wait if the kernel is slow to finish it).
const REAP_WAIT: Duration = Duration::from_secs(5);

/// Why a run ended without output to parse.
pub(super) enum RunError {
    /// The command (or the thread that runs it) could not be started.
    Spawn(io::Error),
    /// It ran past its timeout and was stopped.
    TimedOut,
    /// It wrote more than [`MAX_PROCESS_STDOUT`] bytes to standard output and was stopped.
    TooMuchOutput,
    /// Reading its output or waiting for it failed; it was stopped.
    Io(io::Error),
}

/// What a finished run produced.
pub(super) struct Finished {
    pub(super) status: ExitStatus,
    pub(super) stdout: Vec<u8>,
    pub(super) stderr: Vec<u8>,
}

/// Runs `command` (whose standard output and error must be piped) for at most `timeout`.
///
/// Needs a Tokio runtime with time enabled (for the timeout); the command itself is run, read,
/// waited for and reaped on a thread of its own.
pub(super) async fn run(command: Command, timeout: Duration) -> Result<Finished, RunError> {
    let (wake_reader, wake_writer) = io::pipe().map_err(RunError::Spawn)?;
    let control = Arc::new(Control::new(wake_writer));
    // From here on, leaving early (the caller dropping this future, or the timeout) stops the
    // command; once the thread has sent its result, the command is reaped and stopping is a
    // no-op.
    let stop = StopOnDrop(Arc::clone(&control));
    let (sender, mut receiver) = tokio::sync::oneshot::channel();
    let thread_control = Arc::clone(&control);
    std::thread::Builder::new()
        .name("credential-proc".to_owned())
        .spawn(move || {
            // The caller may be gone; then nobody needs the result.
            let _ = sender.send(supervise(command, &thread_control, wake_reader));
        })
        .map_err(RunError::Spawn)?;
    match tokio::time::timeout(timeout, &mut receiver).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(RunError::Io(io::Error::other(
            "the thread running the command ended without a result",
        ))),
        Err(_) => {
            drop(stop);
            // The thread reaps the killed command and then sends its (now meaningless)
            // result: waiting for it means nothing of the command is left when this returns.
            let _ = tokio::time::timeout(REAP_WAIT, &mut receiver).await;
            Err(RunError::TimedOut)
        }
    }
}

/// What the caller and the thread share about one run.
struct Control {
    state: Mutex<State>,
}

struct State {
    /// The command from its start until it is reaped. While it is here its pid (and on Unix its
    /// process group id) cannot be reused, so killing it by id is safe.
    child: Option<Child>,
    /// Whether the run was stopped (by the caller or by the thread itself).
    stopped: bool,
    /// Dropped when the run is stopped, which wakes the thread if it is waiting for output.
    wake: Option<PipeWriter>,
}

impl Control {
    fn new(wake: PipeWriter) -> Self {
        Self {
            state: Mutex::new(State {
                child: None,
                stopped: false,
                wake: Some(wake),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing done under the lock can leave the state half-changed.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops the run: kills the command's process group (and the command itself, should it
    /// have moved to another group) unless it is already reaped, and wakes the thread.
    fn stop(&self) {
        let mut state = self.lock();
        state.stopped = true;
        state.wake = None;
        if let Some(child) = state.child.as_mut() {
            kill_group(child.id());
            // Fails only when it has already exited; it is reaped by the thread either way.
            let _ = child.kill();
        }
    }

    /// Hands the just started command over, killing it at once if the run was stopped while it
    /// was being started.
    fn started(&self, child: Child) {
        let stopped = {
            let mut state = self.lock();
            state.child = Some(child);
            state.stopped
        };
        if stopped {
            self.stop();
        }
    }

    /// Reaps the command if it has exited, taking it out of the shared state.
    fn try_reap(&self) -> io::Result<Option<ExitStatus>> {
        let mut state = self.lock();
        let Some(child) = state.child.as_mut() else {
            return Err(io::Error::other("the command was already reaped"));
        };
        let reaped = child.try_wait();
        if !matches!(reaped, Ok(None)) {
            state.child = None;
        }
        reaped
    }
}

/// Stops the run when dropped (the caller's future dropped, or its timeout passed).
struct StopOnDrop(Arc<Control>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The thread's work: start, read, wait, reap. Returns only once the command is reaped (or was
/// never started).
fn supervise(
    mut command: Command,
    control: &Control,
    wake: PipeReader,
) -> Result<Finished, RunError> {
    let mut child = command.spawn().map_err(RunError::Spawn)?;
    let stdout = Capped::new(child.stdout.take(), MAX_PROCESS_STDOUT, true);
    let stderr = Capped::new(child.stderr.take(), MAX_PROCESS_STDERR, false);
    let pid = child.id();
    control.started(child);
    let output = read_both(stdout, stderr, wake, control);
    if !matches!(output, Ok(Some(_))) {
        control.stop();
    }
    let status = wait_and_reap(control, pid);
    // Only the timeout and a dropped caller stop a run from outside, and a dropped caller
    // never sees the result.
    let (stdout, stderr) = output?.ok_or(RunError::TimedOut)?;
    Ok(Finished {
        status: status.map_err(RunError::Io)?,
        stdout,
        stderr,
    })
}

/// What the command wrote to standard output and standard error (within their caps).
type Outputs = (Vec<u8>, Vec<u8>);

/// One output pipe, read to its end keeping at most `cap` bytes.
struct Capped<R> {
    /// `None` once the pipe is at its end (or was not piped).
    pipe: Option<R>,
    kept: Vec<u8>,
    cap: usize,
    /// Past the cap, fail with [`RunError::TooMuchOutput`] (standard output) rather than keep
    /// reading and drop the rest (standard error, so that the command never blocks on it).
    strict: bool,
}

impl<R: Read> Capped<R> {
    fn new(pipe: Option<R>, cap: usize, strict: bool) -> Self {
        Self {
            pipe,
            kept: Vec::new(),
            cap,
            strict,
        }
    }

    fn at_end(&self) -> bool {
        self.pipe.is_none()
    }

    /// Reads once (blocking until there is something to read or the end).
    fn read_once(&mut self) -> Result<(), RunError> {
        let Some(pipe) = self.pipe.as_mut() else {
            return Ok(());
        };
        let mut chunk = [0u8; 8192];
        let n = match pipe.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(RunError::Io(e)),
        };
        if n == 0 {
            self.pipe = None;
            return Ok(());
        }
        let room = self.cap.saturating_sub(self.kept.len());
        if n > room && self.strict {
            return Err(RunError::TooMuchOutput);
        }
        self.kept.extend_from_slice(&chunk[..n.min(room)]);
        Ok(())
    }
}

/// Reads both pipes to their end, or until the run is stopped (`Ok(None)`): one `poll` over
/// both pipes and the wake-up pipe, so a stop always ends the reading even when the pipes are
/// still held open by a process outside the command's group.
#[cfg(unix)]
fn read_both<O, E>(
    mut stdout: Capped<O>,
    mut stderr: Capped<E>,
    wake: PipeReader,
    _control: &Control,
) -> Result<Option<Outputs>, RunError>
where
    O: Read + std::os::fd::AsRawFd,
    E: Read + std::os::fd::AsRawFd,
{
    use std::os::fd::AsRawFd as _;

    // A negative descriptor is ignored by `poll`: that is how a pipe at its end drops out.
    let watch = |fd: Option<i32>| libc::pollfd {
        fd: fd.unwrap_or(-1),
        events: libc::POLLIN,
        revents: 0,
    };
    while !(stdout.at_end() && stderr.at_end()) {
        let mut fds = [
            watch(Some(wake.as_raw_fd())),
            watch(stdout.pipe.as_ref().map(|p| p.as_raw_fd())),
            watch(stderr.pipe.as_ref().map(|p| p.as_raw_fd())),
        ];
        let count = libc::nfds_t::try_from(fds.len()).unwrap_or(libc::nfds_t::MAX);
        // SAFETY: `fds` is a valid array of `count` pollfd structures for the whole call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), count, -1) };
        if ready < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(RunError::Io(err));
        }
        // The wake-up pipe is never written to: it becomes ready when stopping closes it.
        if fds[0].revents != 0 {
            return Ok(None);
        }
        // Readable, at its end, or failed: a read tells which without blocking.
        if fds[1].revents != 0 {
            stdout.read_once()?;
        }
        if fds[2].revents != 0 {
            stderr.read_once()?;
        }
    }
    Ok(Some((stdout.kept, stderr.kept)))
}

/// Reads both pipes to their end: standard error on a second thread, standard output on this
/// one. Without `poll` on pipes, a stop cannot interrupt a read; killing the command closes its
/// ends of the pipes.
#[cfg(not(unix))]
fn read_both<O, E>(
    mut stdout: Capped<O>,
    mut stderr: Capped<E>,
    wake: PipeReader,
    control: &Control,
) -> Result<Option<Outputs>, RunError>
where
    O: Read,
    E: Read + Send,
{
    drop(wake);
    std::thread::scope(|scope| {
        let errors = scope.spawn(move || {
            while !stderr.at_end() {
                stderr.read_once()?;
            }
            Ok::<_, RunError>(stderr.kept)
        });
        let read = (|| {
            while !stdout.at_end() {
                stdout.read_once()?;
            }
            Ok(stdout.kept)
        })();
        if read.is_err() {
            // Kill it before joining, so that standard error reaches its end.
            control.stop();
        }
        let errors = errors
            .join()
            .unwrap_or_else(|_| Err(RunError::Io(io::Error::other("reading stderr failed"))));
        if control.lock().stopped {
            return Ok(None);
        }
        Ok(Some((read?, errors?)))
    })
}

/// Waits until the command has exited, then reaps it.
fn wait_and_reap(control: &Control, pid: u32) -> io::Result<ExitStatus> {
    #[cfg(unix)]
    wait_for_exit(pid);
    #[cfg(not(unix))]
    let _ = pid;
    // On Unix the command has exited by now (or `waitid` failed), so this reaps it at once.
    loop {
        if let Some(status) = control.try_reap()? {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Blocks until the process `pid` (a child of this process) has exited, leaving it unreaped
/// (`WNOWAIT`), so that its process group can still be killed safely until it is reaped under
/// the lock. Any error other than an interruption ends the wait (the reaping then polls).
#[cfg(unix)]
fn wait_for_exit(pid: u32) {
    let id = libc::id_t::from(pid);
    loop {
        // SAFETY: an all-zero `siginfo_t` is a valid value (a plain C struct).
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t for the whole call.
        let done =
            unsafe { libc::waitid(libc::P_PID, id, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if done == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return;
        }
    }
}

/// Sends `SIGKILL` to the process group `pid` leads. Called only while the leader is not reaped
/// (under the lock), so the group id cannot name anything else.
#[cfg(unix)]
fn kill_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: `kill` has no memory-safety preconditions; a negative pid names a group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn kill_group(_pid: u32) {
    // Without process groups only the command itself is killed (`Child::kill`).
}

/* A crash at an exact step of a save (RELIABILITY.md D5), without root: loaded with
 * LD_PRELOAD into a ripen-cli under test, it SIGKILLs the process at the n-th call
 * ($RIPEN_KILL_AT, from 1) of one file operation ($RIPEN_KILL_OP) on a path containing
 * $RIPEN_KILL_PATH:
 *   write         before the n-th write/pwrite/writev: a file half written
 *   fsync         before the n-th fsync/fdatasync: written, not yet synced
 *   rename        before the n-th rename: synced, not yet in place
 *   rename-after  right after the n-th rename: in place, not yet recorded (dir not synced)
 * Before dying it appends "<op> <n> <path>" to $RIPEN_KILL_LOG (when set), so a test knows
 * the kill came from the shim and at which file. Without $RIPEN_KILL_OP it does nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_long g_calls = 0;

#define NEXT(name, type) ((type)dlsym(RTLD_NEXT, name))

static int wanted(const char* op) {
    const char* chosen = getenv("RIPEN_KILL_OP");
    return chosen && strcmp(chosen, op) == 0;
}

static int onPath(const char* path) {
    const char* pattern = getenv("RIPEN_KILL_PATH");
    return path && (!pattern || !*pattern || strstr(path, pattern));
}

static int pathOfFd(int fd, char* path, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, size - 1);
    if (n <= 0) {
        return 0;
    }
    path[n] = '\0';
    return 1;
}

static void die(const char* op, long n, const char* path) {
    const char* log = getenv("RIPEN_KILL_LOG");
    if (log) {
        char line[4200];
        const int len = snprintf(line, sizeof line, "%s %ld %s\n", op, n, path);
        const int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0) {
            NEXT("write", ssize_t(*)(int, const void*, size_t))(fd, line, (size_t)len);
            close(fd);
        }
    }
    raise(SIGKILL);
}

/* Counts a matching call of `op` on `path`; dies when it is the chosen one. */
static void count(const char* op, const char* path) {
    if (!wanted(op) || !onPath(path)) {
        return;
    }
    const char* at = getenv("RIPEN_KILL_AT");
    const long n = atomic_fetch_add(&g_calls, 1) + 1;
    if (n == (at ? atol(at) : 1)) {
        die(op, n, path);
    }
}

static void countFd(const char* op, int fd) {
    char path[4096];
    if (wanted(op) && pathOfFd(fd, path, sizeof path)) {
        count(op, path);
    }
}

ssize_t write(int fd, const void* buf, size_t size) {
    countFd("write", fd);
    return NEXT("write", ssize_t(*)(int, const void*, size_t))(fd, buf, size);
}

ssize_t pwrite(int fd, const void* buf, size_t size, off_t offset) {
    countFd("write", fd);
    return NEXT("pwrite", ssize_t(*)(int, const void*, size_t, off_t))(fd, buf, size, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t size, off64_t offset) {
    countFd("write", fd);
    return NEXT("pwrite64", ssize_t(*)(int, const void*, size_t, off64_t))(fd, buf, size, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
    countFd("write", fd);
    return NEXT("writev", ssize_t(*)(int, const struct iovec*, int))(fd, iov, iovcnt);
}

int fsync(int fd) {
    countFd("fsync", fd);
    return NEXT("fsync", int (*)(int))(fd);
}

int fdatasync(int fd) {
    countFd("fsync", fd);
    return NEXT("fdatasync", int (*)(int))(fd);
}

int rename(const char* from, const char* to) {
    count("rename", to);
    const int result = NEXT("rename", int (*)(const char*, const char*))(from, to);
    if (result == 0) {
        count("rename-after", to);
    }
    return result;
}

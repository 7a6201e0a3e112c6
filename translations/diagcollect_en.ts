<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>AnalysisRules</name>
    <message>
        <source>Unit %1 failed</source>
        <extracomment>Title of the analysis finding &quot;systemd-unit-failed&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>systemd reports this unit in the failed state: the service it runs is not working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the unit&apos;s status and journal (services/failed-status.txt), fix the cause, then run: systemctl restart UNIT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 keeps restarting</source>
        <extracomment>Title of the analysis finding &quot;systemd-restart-loop&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>systemd restarted this unit five times or more in a row: it starts, fails and is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for the first error after each start in the journal of this unit; a wrong configuration or a missing file is the usual cause.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File system %1 is almost full</source>
        <extracomment>Title of the analysis finding &quot;disk-full&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than 90 % of this file system is used. Programs fail in unexpected ways when they cannot write logs, databases or temporary files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free space on it (old logs, package caches, core dumps) or make it larger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File system %1 is running out of inodes</source>
        <extracomment>Title of the analysis finding &quot;inodes-exhausted&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than 90 % of the inodes (file entries) of this file system are used: no new file can be created there, even with free space left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the folders holding millions of small files (mail queues, caches, session files) and clean them up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder this run writes to is almost full</source>
        <extracomment>Title of the analysis finding &quot;output-folder-full&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The staging or output folder of this collection has more than 90 % of its space or inodes used: the archive may be cut short, and the machine itself is short of space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free space there, or collect again with --output pointing at a folder on another disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel killed %1 when memory ran out</source>
        <extracomment>Title of the analysis finding &quot;oom-kill&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system ran out of memory and the kernel&apos;s OOM killer ended this process.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check which process used the memory (processes.txt, the kernel log before the kill) and add memory or limit that process.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 crashed with a segmentation fault</source>
        <extracomment>Title of the analysis finding &quot;segfault&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel logged a segmentation fault of this program: it accessed memory it must not and was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update the program; if it keeps crashing, send its crash dump (coredumpctl) to its vendor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clock is not synchronized</source>
        <extracomment>Title of the analysis finding &quot;clock-not-synchronized&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system clock is not kept in step with a time server. A wrong clock breaks certificate checks, licences and Kerberos, and makes logs hard to correlate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable time synchronization (timedatectl set-ntp true, or chrony/ntpd) and check that the time server can be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No DNS server is configured</source>
        <extracomment>Title of the analysis finding &quot;dns-no-resolver&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/etc/resolv.conf names no name server, so host names cannot be resolved: updates, licence checks and cloud services fail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configure a DNS server (NetworkManager, systemd-resolved or /etc/resolv.conf) and check with: getent hosts example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A proxy is set for this session but not system-wide</source>
        <extracomment>Title of the analysis finding &quot;proxy-environment-only&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment of this session names a proxy, but no system configuration does: services started by the system connect without the proxy and may fail where this session succeeds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configure the proxy system-wide (/etc/environment and the package manager) or for the product&apos;s service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A proxy is configured system-wide but not in this session</source>
        <extracomment>Title of the analysis finding &quot;proxy-system-only&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System configuration names a proxy, but the environment of this session does not: programs started from here connect directly and may fail where services succeed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If this network needs the proxy, set http_proxy and https_proxy for this session too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 crashed in the last 7 days</source>
        <extracomment>Title of the analysis finding &quot;crash-recent&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>systemd-coredump recorded a crash of this program during the last week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See coredump-info.txt for the signal and stack; update the program or send the dump to its vendor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash report %1 in /var/crash</source>
        <extracomment>Title of the analysis finding &quot;crash-reports&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A crash report was left in /var/crash: the program named in it crashed on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the report (apport-unpack or the distribution&apos;s crash reporter) to see the program and the stack; send it to the program&apos;s vendor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product wrote crash dumps</source>
        <extracomment>Title of the analysis finding &quot;product-crash-dumps&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product&apos;s crash dump folder holds dumps: one of its processes crashed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the dumps to the product&apos;s support; they show where it crashed (collect them with full logs when asked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product&apos;s service failed in the last day</source>
        <extracomment>Title of the analysis finding &quot;product-service-failed&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The journal of the product&apos;s service shows that it stopped with an error or could not start during the last 24 hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the lines before the failure in the service&apos;s journal; restart the service once the cause is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product&apos;s log shows repeated errors in the last hour</source>
        <extracomment>Title of the analysis finding &quot;product-log-errors&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product logged five errors or more during the hour before this collection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the error lines in the product&apos;s log: the first one usually names the cause.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some data could not be collected</source>
        <extracomment>Title of the analysis finding &quot;items-failed&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items of this collection failed or timed out: support will not find their data in this archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See the reasons below; fix them (a missing tool, a hung command) and collect again if support needs this data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some data could not be read without more rights</source>
        <extracomment>Title of the analysis finding &quot;items-permission-denied&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files or commands of this collection were refused for lack of rights: support will not find them in this archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the collection as administrator (sudo diagcollect collect) if support needs this data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some files were cut to fit the size limits</source>
        <extracomment>Title of the analysis finding &quot;items-truncated&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of this collection were larger than the profile&apos;s limits and only their newest part was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If support needs the older part, collect again with full logs or a profile with larger limits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Categories</name>
    <message>
        <source>Product service logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operating system configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash dumps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This tool&apos;s own log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemReasons</name>
    <message numerus="yes">
        <source>%n file(s) cannot be read: %1</source>
        <translation>
            <numerusform>%n file cannot be read: %1</numerusform>
            <numerusform>%n files cannot be read: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vanished while collecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>symlink loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dangling symlink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dangling symlink or symlink loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (FIFO)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (socket)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (character device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (block device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an absolute path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder nested too deeply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>symbolic link (not followed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed: outside %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed: owned by %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced while collecting (not collected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hard link to a file owned by %1 in a folder of %2 (not collected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rotated copy of %1 (the item does not take rotated logs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>older than %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write to staging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write to staging: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file shrank while it was read (%1 bytes when opened, %2 after, modified %3 -&gt; %4); kept %5 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept the newest %1 of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept the first %1 of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept the first %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept the newest %1 of %2 matching files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and %1 more: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cut to the newest %1 bytes to fit the run&apos;s %2-byte budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out: over the run&apos;s %1-byte budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs administrator rights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs administrator rights (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s; output is partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output capped at %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit status unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit status %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing to report (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown probe &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the probe found nothing to report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output cut at max_bytes (%1 of %2 bytes kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not available on this platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;path&quot; argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/proc/self/mountinfo is not readable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot; (expected table, tsv or jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>systemd is not running here (a container or chroot?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this system has no systemd journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such file or directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operation not permitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is a directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input/output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many levels of symbolic links</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such device or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No space left on device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale file handle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File name too long</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileTexts</name>
    <message>
        <source>the product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash dumps of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Journal of the %1 service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service logs of %1 show what it did and why it failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The configuration of %1 shows how it is set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash dumps of %1 show where it crashed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system journal of the %1 service shows its starts, stops and errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in default profile: the operating system configuration, system logs, event history and crash reports support needs for any problem on Linux, Windows and macOS, plus this tool&apos;s own log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS release, kernel, uptime, locale, time zone, virtualization and hardware in one page: the first thing support reads to know what machine this is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS identity files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The files that name the OS release, host name, time zone and default locale, as the system itself reads them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time and clock synchronization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone, clock synchronization (NTP) and RTC state: wrong clocks break certificates, licences and log correlation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System locale and keyboard layout, which change how programs parse and print text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name, chassis, OS, kernel and virtualization as systemd sees them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtualization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names the hypervisor or container technology, which explains many timing, device and networking differences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the system has been up and its load: a recent reboot or a saturated CPU changes the diagnosis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU model, cores, flags and vulnerability mitigations, for performance and compatibility questions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory and swap use: memory pressure explains slowness and killed processes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces, addresses, traffic counters and routes read directly from the kernel, present even when no network tools are installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces and addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces with addresses, link state and driver details, to check the machine is on the network it should be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv4 routes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The IPv4 routing table: which gateway traffic to a server takes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv6 routes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The IPv6 routing table: which gateway traffic to a server takes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening TCP and UDP sockets (with processes when run as administrator): port conflicts and services that are not listening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS (systemd-resolved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS servers and search domains per link as systemd-resolved applies them: name-resolution failures are a common cause of connection errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name resolution files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolver configuration, static host names and the name-service order, which decide how host names resolve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkManager connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkManager connections (names, types, devices; no secrets): which profiles are active, VPNs included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy settings from the environment and system configuration: a proxy that is set, or missing, explains failing downloads and updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firewall (nftables)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nftables firewall rule set: blocked ports and addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firewall (iptables)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The iptables firewall rules (legacy and compatibility layer): blocked ports and addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packages (dpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed Debian/Ubuntu packages with version and architecture: which versions of libraries and dependencies the product runs with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packages (rpm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed RPM packages with version and architecture: which versions of libraries and dependencies the product runs with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed Flatpaks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed Flatpak applications and runtimes with version and architecture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed snaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed snaps with version, revision and channel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services and units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every systemd unit with its load, active and sub state: which services run, which are stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit start-up settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which units are enabled, disabled or masked at boot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The units that have failed: often the direct cause of a problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed units in detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status and last log lines of each failed unit, so support sees why it failed without asking.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running processes with owner, start time, CPU, memory and command line: what else runs next to the product and what uses the resources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mounted file systems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mounted file systems with type, options and usage, network shares called out: full disks, read-only mounts and unreachable shares.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space and type of each local file system, as df reports it: a full disk breaks logging, updates and databases.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inode usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inodes used on each local file system: when they run out, no file can be created even with free space (analysis rule inodes-exhausted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mount tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mount tree, showing what is mounted over what.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disks, partitions and their file systems and mount points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mount configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file systems the system mounts at boot and with which options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users and host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name, logged-in users and local account names (no passwords): who uses the machine and which accounts exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is logged in, on which terminal and since when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System journal (3 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system journal of the last three days, newest 50,000 entries: what every service and the kernel reported around the problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System journal (14 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system journal of the last fourteen days, for problems that started earlier (full-log mode only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel messages (journal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel messages of the current boot (driver, disk and memory errors), from the journal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel ring buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel ring buffer, for systems without a persistent journal; reading it needs administrator rights where dmesg_restrict is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs in /var/log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text logs under /var/log (syslog, kernel, authentication, X server, application logs) from the last two weeks, newest bytes of each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boot history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of boots with start and end times: crashes and unexpected reboots show up as short or overlapping boots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings, current boot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors since the last boot: what went wrong recently, without the noise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings, previous boot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors of the previous boot, including what happened before a crash or forced restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>APT history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package installs, upgrades and removals through apt, with times and command lines: what changed before the problem started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dpkg log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every package state change recorded by dpkg, the detailed change history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNF history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package transactions through dnf/yum with time and action: what changed before the problem started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNF log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The RPM transaction log of dnf: every installed, upgraded and removed package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent crashes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crashes recorded by systemd-coredump in the last 30 days: time, process, signal and whether the dump is still present.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent crash details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details of the crashes of the last seven days, with the stack summary systemd-coredump recorded, which often makes the dump itself unnecessary.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash report folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is in /var/crash (apport and kdump reports) with sizes and times, even when the reports are too big to include.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash reports in /var/crash (the first 8 MiB of each: apport reports start with the program, signal and stack).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Core dumps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The core files kept by systemd-coredump, for crashes the stack summary does not explain (full-log mode only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows edition and build, install date, boot time, time zone, memory, hotfixes and network adapters in one page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware and locale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware vendor and model, BIOS, virtualization, locale and time zone as Windows reports them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time synchronization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clock synchronization source and state: wrong clocks break certificates, sign-in and log correlation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapters, addresses, DNS servers, DHCP and gateway configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The IPv4 and IPv6 routing tables: which gateway traffic to a server takes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening sockets and connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ports and connections with owning process ids: port conflicts and services that are not listening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows Firewall state and default policy per profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system (WinHTTP) proxy used by services and updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User proxy settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user&apos;s proxy and automatic configuration settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Static host names, which override DNS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed programs (64-bit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed programs (machine-wide, 64-bit) with version and publisher from the Uninstall registry key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed programs (32-bit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed programs (machine-wide, 32-bit) with version and publisher from the Uninstall registry key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed programs (user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs installed for the current user only, with version and publisher.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every service with its state: which services run, which are stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each service&apos;s start mode, account and executable path, to spot disabled or misconfigured services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running processes with owner, memory, CPU time and window title: what else runs next to the product and what uses the resources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapped drives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapped network drives and their state: unreachable shares explain hangs and missing files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drives with file system, size, free space and the share behind network drives.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The computer&apos;s name, as other machines and logs know it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged-in users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is logged in, in which session and since when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local account names: who may log on to this computer and run the product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest 5,000 events of the System event log: drivers, services, disks and shutdowns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Application event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest 5,000 events of the Application event log: application errors and crashes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Setup event log: Windows updates and component installs, the change history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System warnings (14 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical events, errors and warnings of the System log from the last two weeks, newest first: what went wrong, without the noise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed updates with their dates: what changed before the problem started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash report folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Windows Error Reporting folders with sizes and times: which programs crashed and when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows Error Reporting reports (Report.wer) and the small dumps attached to them: the faulting module and exception of each crash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User crash dump folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user-mode crash dumps Windows kept for this user, with sizes and times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User crash dumps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user-mode crash dumps themselves, for crashes the reports do not explain (full-log mode only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blue-screen minidumps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel minidumps written after blue screens: the driver that stopped the system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>macOS version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The macOS product version and build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware model, CPU, memory, macOS version, boot volume, uptime and secure-boot state in one page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU model and count, memory size and whether macOS runs in a virtual machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the system has been up and its load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user&apos;s locale, which changes how programs parse and print text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces with addresses and link state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS resolvers and search domains per interface and per domain: name-resolution failures are a common cause of connection errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system proxy configuration, including automatic proxy configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The routing tables: which gateway traffic to a server takes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ports and connections: port conflicts and services that are not listening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whether the application firewall is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Static host names and the resolver configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed packages (receipts) by identifier: which components are installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed applications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The applications in /Applications with their dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services (launchd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded launchd jobs with pid and last exit status: which services run and which keep failing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running processes with owner, start time, CPU time, memory and command line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mounted file systems with type and options, network shares included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space of each local volume: a full disk breaks logging and updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disks, containers and volumes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local account names and their user ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified log (1 hour)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unified log of the last hour: what every process and the kernel reported around the problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text logs under /var/log from the last two weeks, newest bytes of each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs in /Library/Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs that system components and installed products write to /Library/Logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Software installs and updates with times: what changed before the problem started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every installed package and update with its date and version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent restarts and shutdowns: crashes and forced restarts show up here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults (1 day)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults reported to the unified log during the last day: what went wrong recently, without the noise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System crash report folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The crash, hang and panic reports of the system with their dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System crash reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash, hang and panic reports of system processes: faulting thread and stack of each crash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User crash reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash and hang reports of the user&apos;s applications: faulting thread and stack of each crash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnostics Collector log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This tool&apos;s own log, so support can tell a collection problem from a system problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnostics Collector run information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which version of this tool ran with which profile and rights: explains what is and is not in this bundle.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleTexts</name>
    <message>
        <source>E-mail addresses (role addresses such as noreply@ and systemd units like user@1000.service are kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv4 addresses; keeps loopback, unspecified, broadcast, netmasks, multicast, public resolvers and version-like numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv6 addresses in every compressed form, in brackets, with zone or port; keeps ::1, :: and well-known multicast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC addresses in colon, dash and dotted form; keeps broadcast and all-zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host names in host contexts: URLs, host=/server=/Host:/Computer: values, the syslog host field, UNC paths, machine accounts, --host, &apos;connecting to X&apos;, and Bluetooth device names; keeps public vendor domains and localhost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User names in home paths: /home/u/, /Users/u/, C:\Users\u\</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User names in user=/login=/USER= values, DOMAIN\user, sudo/su lines, the ps owner column, --user/-u options, &apos;for u from&apos;, &apos;invalid user u&apos; log phrases and people&apos;s names in certificate subjects (CN=) and before e-mail addresses; keeps system accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user:password in URLs (scheme://user:password@host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values of token/key/signature/session/cookie parameters and settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values of password/passwd/passphrase/secret settings (key=value, key: value, JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bearer and other credentials in Authorization headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Web Tokens (eyJ...eyJ...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloud access key ids (AKIA..., ASIA...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Well-known API token formats (GitHub ghp_/github_pat_, GitLab glpat-, Slack xox*-, Google AIza, Stripe sk_live_, npm_)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bodies of PEM/OpenSSH private-key blocks (BEGIN/END lines kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment card numbers (known issuer prefixes, Luhn-checked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank account numbers (IBAN, checked against the country&apos;s length and the mod-97 check)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone numbers in phone/tel/mobile/fax values, international +NN numbers and US (555) 010-9999 forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows account SIDs (S-1-5-21-..., S-1-12-1-...); keeps well-known SIDs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s id, machine-id/MachineGuid/InstallationID/ProductId/product_uuid values and DHCPv6 DUIDs; keeps boot, trace and request ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware serial numbers in serial/Serial Number/ID_SERIAL values; keeps placeholders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPS coordinates in lat/lon/latitude/longitude/location/position/gps values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s host names, wherever they occur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s DNS domains wherever they occur, and Windows domains (DOMAIN\user, Account Domain:)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s local account names, wherever they occur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms added by the profile or the user, wherever they occur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wi-Fi network names (SSIDs) in ssid=/SSID: values and in wpa_supplicant, NetworkManager, iw and netsh output</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::Admin</name>
    <message>
        <source>Treat this as a remote run (also automatic when neither stdin nor stderr is a terminal): the administrator&apos;s policy decides whether it may run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --full-logs: raise the product&apos;s logging to full (profile&apos;s product.full_logging), wait SECONDS for the problem to be reproduced, collect, then restore the normal level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--reproduce expects 0 to %1 seconds (the profile&apos;s max_minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full logging is on for %1; reproduce the problem now (%2 s)...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::Analyze</name>
    <message>
        <source>Also apply the rules in FILE (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also apply the rules of profile FILE (FILE&apos;s .rules.json).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out rule ID (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret key file for sealed archives.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the result as one JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1 argument(s), got %2; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INFO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n matching)</source>
        <translation>
            <numerusform>%1 (%n matching)</numerusform>
            <numerusform>%1 (%n matching)</numerusform>
        </translation>
    </message>
    <message>
        <source>An archive or a staging folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the analysis rules over an archive or a staging folder and print the findings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 error(s), %2 warning(s), %3 info; %4 of %5 rules evaluated
</source>
        <extracomment>analyze: findings by severity, then how many rules could be evaluated.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Not evaluated (their data is not in this collection): %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Disabled by your administrator&apos;s policy (%1): %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The earlier archive or staging folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The later archive or staging folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare two collections of one machine: items, packages, units and findings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>content changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, content changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings appeared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::Cli</name>
    <message>
        <source>collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the profile FILE instead of the built-in one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set profile variable NAME to VALUE (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>packaging %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent to %1; %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s): %1 collected, %2 truncated, %3 skipped, %4 failed; %5 staged, archive %6 in %7 s</source>
        <extracomment>The end of collect: items by status, bytes staged, the archive&apos;s size and the time it took.</extracomment>
        <translation>
            <numerusform>%n item: %1 collected, %2 truncated, %3 skipped, %4 failed; %5 staged, archive %6 in %7 s</numerusform>
            <numerusform>%n items: %1 collected, %2 truncated, %3 skipped, %4 failed; %5 staged, archive %6 in %7 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n value(s) redacted; your pseudonym map (keep it, never send it): %1</source>
        <translation>
            <numerusform>%n value redacted; your pseudonym map (keep it, never send it): %1</numerusform>
            <numerusform>%n values redacted; your pseudonym map (keep it, never send it): %1</numerusform>
        </translation>
    </message>
    <message>
        <source>staging kept at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the archive into DIR (default: the Desktop, else home).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive format: tar.zst (default) or zip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support case ID, used in the archive name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out the non-essential item ID (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also collect the profile&apos;s full-log-mode items.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not redact personal data (names, addresses, secrets). Loud, and refused by an admin policy that forbids it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also redact TEXT wherever it occurs (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra redaction keywords and patterns from FILE (see docs/REDACTION.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also apply the analysis rules in FILE (repeatable; see docs/ANALYSIS.md). A rules file with mistakes stops before anything is collected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include binary files (crash dumps) with every value chosen for redaction masked in place; they are left out by default (full-log mode includes the product&apos;s own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the staging folder after packaging (under a policy that forces redaction, only the redacted copy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print one JSON object with the result on stdout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No progress on stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log details to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collect diagnostics headlessly and package them into an archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>collect takes no arguments, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot; (expected tar.zst or zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--reproduce needs --full-logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: --no-redact: personal data (user and host names, addresses, secrets) will be in the archive as collected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the items as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also show the expected size per category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the items of every platform, not only this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include the full-log-mode items.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List what would be collected on this platform; collects nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every entry of an archive against its manifest.json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify takes exactly one archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>intact: %n entries match manifest.json</source>
        <translation>
            <numerusform>intact: %n entry matches manifest.json</numerusform>
            <numerusform>intact: %n entries match manifest.json</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the archive does not match its manifest (%n problem(s))</source>
        <translation>
            <numerusform>the archive does not match its manifest (%n problem)</numerusform>
            <numerusform>the archive does not match its manifest (%n problems)</numerusform>
        </translation>
    </message>
    <message>
        <source>A staging folder kept with --keep-staging.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the archive into DIR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tar.zst (default) or zip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also apply the analysis rules in FILE (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the analysis rules of profile FILE (FILE&apos;s .rules.json); default: the profile the folder was collected with, when its file is there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package a staging folder again after editing it by hand. Edited and removed files are recorded in the manifest. The administrator&apos;s policy applies as in collect: redacted again under force_redaction, sealed under require_sealing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pack takes exactly one staging folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the built-in probes a profile can use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>collect diagnostics and package them (headless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list what would be collected, with purposes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check an archive against its manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>package a kept staging folder after editing it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the built-in probes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redact one file with the built-in rules and the policy&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the redaction rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>send an archive to support over HTTPS (resumable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create a key pair for sealed archives (support side)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seal an archive to support&apos;s public key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decrypt a sealed archive with the secret key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list what looks wrong in an archive or staging folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compare two archives of one machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raise the product&apos;s logging to full, or restore it (on|off|status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show the administrator&apos;s policy in effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: diagcollect [COMMAND] [OPTIONS]

Diagnostics Collector gathers a product&apos;s service logs, the operating system&apos;s configuration,
system logs, event history and crash dumps into an archive for support. Started without a
command it opens the desktop wizard.

Commands:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Run &apos;diagcollect COMMAND --help&apos; for a command&apos;s options.

Global options: --policy FILE uses FILE as the administrator&apos;s policy (to test one);
--lang en|ja sets the language of human-readable output (default: the system&apos;s;
JSON output is always English).

Exit codes: 0 ok, 1 failure, 2 usage, profile or policy error, 3 refused by the
administrator&apos;s policy, 4 saved but not sent, 130 cancelled.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no command given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::List</name>
    <message numerus="yes">
        <source>Profile &quot;%1&quot;: %n item(s)</source>
        <translation>
            <numerusform>Profile &quot;%1&quot;: %n item</numerusform>
            <numerusform>Profile &quot;%1&quot;: %n items</numerusform>
        </translation>
    </message>
    <message>
        <source>, about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>essential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full logs only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  %1  %2 [%3]
      %4
</source>
        <extracomment>An item of `diagcollect list`: its id, its title, its flags and, on the next line, its purpose.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::Output</name>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try &apos;diagcollect --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::RedactCommands</name>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redact one file: personal data and secrets become pseudonyms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input file (plain or .gz/.xz/.zst/.bz2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output file (always uncompressed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra rules: JSON with &quot;keywords&quot;, &quot;patterns&quot;, &quot;disable&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map (value -&gt; token) to continue and write, mode 0600.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redact needs --in FILE and --out FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--in and --out must be different files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: %1 is binary and cannot be redacted as text; nothing written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redacted %1 values in %2 lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the redaction rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print JSON (ids and keys are never translated).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::cli::Upload</name>
    <message>
        <source>uploading %1% (%2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload: %1% (%2 of %3) after %4 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https:// URL to PUT the archive to; the file name is appended unless the URL contains {file}; {case} is replaced by the case ID. Default: the profile&apos;s upload.url.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support case ID, sent as a header and used for {case}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the bearer token from the environment variable VAR (never from the command line).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also trust the CA certificates in the PEM file FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Require the server&apos;s public key to have this SHA-256 (of its SubjectPublicKeyInfo; hex or base64).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumable chunk size in bytes (default 8388608); 0 sends one whole PUT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take upload settings from the profile FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print one JSON object with the result on stdout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No progress on stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log details to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send an archive to support over HTTPS (resumable, verified).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload takes exactly one archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload needs --url (or a profile with upload.url)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--chunk-bytes expects a number of bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent %1 (%2) to %3; %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seal the archive to the profile&apos;s seal.public_key (always on when the profile sets seal.required).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After packaging, send the archive to the https:// URL (other upload settings from the profile).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --upload: bearer token from the environment variable VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --upload: also trust the CAs in FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --upload: required SHA-256 of the server&apos;s public key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this tool&apos;s archives older than N days from the output folder (default: the profile&apos;s retention_days, 14; 0 keeps all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--retention-days expects a number of days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the secret key to FILE (created with mode 0600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also write the public key to FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the public key and key id as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a key pair for sealed archives (support side). Put the printed public key into the profile&apos;s seal.public_key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keygen takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keygen needs --out FILE for the secret key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret key written to %1 (keep it private); key id %2
public key:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive to seal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support&apos;s public key (base64 or hex, from keygen).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the unsealed archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seal an archive to support&apos;s public key into ARCHIVE.sealed; the unsealed archive is removed once that succeeded, never on a failure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seal takes exactly one archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--public-key expects a 32-byte key in base64 or hex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sealed archive (*.sealed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret key file written by keygen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the archive to FILE (default: the name without .sealed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrypt a sealed archive with support&apos;s secret key. A modified, truncated or foreign file is refused and nothing is written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unseal takes exactly one sealed archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unseal needs --key FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give --out FILE (the archive name does not end in .sealed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::CollectionJob</name>
    <message>
        <source>your administrator&apos;s policy (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote runs are not allowed by your administrator&apos;s policy (%1: allow_remote_runs is false); run diagcollect at the machine itself, from a terminal or the desktop wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--upload: %1 does not allow uploading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--upload: %1 sends archives only to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--retention-days: %1 sets retention to %2 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--skip: the profile has no item &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--skip: &quot;%1&quot; is essential and cannot be left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--seal needs a profile with seal.public_key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--retention-days expects a number of days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full-log mode is not allowed by your administrator&apos;s policy (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a collection is already under way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>findings.json could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pseudonym map could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the consent receipt could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::LeakChecker</name>
    <message>
        <source>Cannot read %1 for the leak check: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1 for the leak check: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot mask every chosen value in %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::PseudonymMap</name>
    <message>
        <source>Pseudonym map is not a JSON object: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map has an unknown format version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map entry has a malformed token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write pseudonym map %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read pseudonym map %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::Redaction</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot decompress %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains NUL bytes (binary data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mostly control bytes (binary data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decompressed content cut at %1 MiB, %2 times its compressed size (a decompression bomb?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decompressed content cut at %1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::RedactionRules</name>
    <message>
        <source>Pattern id &quot;%1&quot; must be lower-case kebab-case (a-z, 0-9, -).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pattern id &quot;%1&quot; is the id of a built-in rule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pattern id &quot;%1&quot; is used twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pattern &quot;%1&quot; does not compile: %2 at offset %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pattern &quot;%1&quot; matches the empty string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file is not valid JSON: %1 at offset %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file must hold a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: unknown key &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: &quot;keywords&quot; must be an array of strings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: &quot;patterns&quot; must be an array of objects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: every pattern needs a string &quot;id&quot; and a string &quot;regex&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: &quot;disable&quot; must be an array of rule ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules file: &quot;disable&quot; names an unknown rule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read rules file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::core::StagingRedactor</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary data (the profile marks this item as not redactable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create a folder for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The leak check found a value of the rule &quot;%1&quot; (%2) in %3 at byte %4 (%5 occurrences in all); no archive was written.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::AboutDialog</name>
    <message>
        <source>About Diagnostics Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Diagnostics Collector %1&lt;/h2&gt;&lt;p&gt;Gathers what support needs to solve a case, and nothing more: you review and redact everything before it is packaged, and nothing is sent without your confirmation.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is built with these libraries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Libraries and licences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::CategoryChart</name>
    <message>
        <source>Archive contents by category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 included, %3 left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 left out)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::ChoosePage</name>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untick what you do not want to share. Items marked &quot;required&quot; are needed for any support case and stay on. Select an item to see why support needs it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items to collect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Required only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n item(s) selected</source>
        <translation>
            <numerusform>%1 of %n item selected</numerusform>
            <numerusform>%1 of %n items selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n item(s) selected, about %2 before compression</source>
        <translation>
            <numerusform>%1 of %n item selected, about %2 before compression</numerusform>
            <numerusform>%1 of %n items selected, about %2 before compression</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Why support needs it: %2&lt;br&gt;&lt;span style=&quot;color: gray&quot;&gt;Source: %3&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start collecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (disabled by your administrator&apos;s policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (full logs only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items shown greyed out are disabled by your administrator&apos;s policy and are not collected. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not collected: disabled by your administrator&apos;s policy. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured on this computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::CollectPage</name>
    <message>
        <source>Collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collected (shortened)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collection progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for personal data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress of the search for personal data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items and their status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done. Review what was collected before anything is packaged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The collection was cancelled and everything it had gathered was deleted. Go back to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collecting: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) collected</source>
        <translation>
            <numerusform>%n item collected</numerusform>
            <numerusform>%n items collected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n skipped</numerusform>
            <numerusform>%n skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking for personal data and secrets in what was collected...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running, %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full logging is on while collecting; the normal level is restored as soon as the collection ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::FindingsPage</name>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Continue to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show in the review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the file this finding was seen in, at the line, in the review&apos;s viewer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for known problems in what was collected...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was collected could not be checked for known problems.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Nothing looks wrong: %n check(s) looked at what was collected and found no problem.</source>
        <translation>
            <numerusform>Nothing looks wrong: %n check looked at what was collected and found no problem.</numerusform>
            <numerusform>Nothing looks wrong: %n checks looked at what was collected and found no problem.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n note</numerusform>
            <numerusform>%n notes</numerusform>
        </translation>
    </message>
    <message>
        <source>Found in what was collected: %1. Support sees the same findings in the archive. Select one to see why it matters and what to do.</source>
        <extracomment>%1: &quot;1 error, 2 warnings&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) did not run because their data was not collected.</source>
        <translation>
            <numerusform>%n check did not run because its data was not collected.</numerusform>
            <numerusform>%n checks did not run because their data was not collected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) turned off by your administrator&apos;s policy.</source>
        <translation>
            <numerusform>%n check turned off by your administrator&apos;s policy.</numerusform>
            <numerusform>%n checks turned off by your administrator&apos;s policy.</numerusform>
        </translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More information: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked on this computer while collecting (not in a file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n matching line(s)</source>
        <translation>
            <numerusform>%n matching line</numerusform>
            <numerusform>%n matching lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dc::gui::FinishPage</name>
    <message>
        <source>The reviewed files are redacted, packaged and checked once more: no value you chose to hide may be in the archive. Nothing leaves this computer unless you send it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packaging progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 of the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send to support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive&apos;s path was copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to %1 and verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive was sent to support. The receipt records where it went.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending failed: %1 The archive is still saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to support for case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder for the archive (a full path).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redacting and packaging...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No archive was written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save or send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only for you: it turns pseudonyms back into the real values. It is never sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;eal the archive: encrypted so that only support can open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealing is required. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealing is required by the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending from this tool is turned off. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archives are sent only to %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is sealed: only support can open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in fol&amp;der</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file manager could be opened. The archive is in %1 (Copy path puts its path on the clipboard).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive was saved (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The same values stood %Ln more time(s) elsewhere in the files and were replaced there too.</source>
        <translation>
            <numerusform>The same values stood %Ln more time elsewhere in the files and were replaced there too.</numerusform>
            <numerusform>The same values stood %Ln more times elsewhere in the files and were replaced there too.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dc::gui::GuiApp</name>
    <message>
        <source>The administrator&apos;s policy has mistakes: Diagnostics Collector does not run until it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnostics Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnostics Collector cannot start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::HistoryDialog</name>
    <message>
        <source>Previous collections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No collection has been saved on this computer yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The receipts of your previous collections, kept on this computer in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent or saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redacted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saved in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;archive folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the command line (headless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the desktop wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 items, in full-log mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %L2 items, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out by you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off: personal data was left as collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 values replaced by pseudonyms, %L2 kept by your choice, %L3 files left out, %L4 words of your own added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sealed: only support can open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file manager could be opened. The archive is in %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::LogModel</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 becomes %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is kept (%3 not used)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::MainWindow</name>
    <message>
        <source>Diagnostics Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous collections...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;What is collected?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Diagnostics Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 - Diagnostics Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The collection you reviewed is not saved yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you quit now, the collected files and your review decisions are deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep working</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::MessageWidget</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::ReproducePage</name>
    <message>
        <source>Support needs the product&apos;s complete logs of the moment the problem happens. For this, the product&apos;s logging was raised to full:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;ol style=&quot;margin-left: 0px; -qt-list-indent: 1;&quot;&gt;&lt;li&gt;Make the problem happen again now, the way it usually happens.&lt;/li&gt;&lt;li&gt;Then click &lt;b&gt;Done&lt;/b&gt;. The collection starts at once, and the normal logging level is restored as soon as it has finished.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left until the normal logging level is restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Done — I reproduced the problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Logging was not changed.&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product&apos;s logging could not be raised to full: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full logging was already on for &lt;b&gt;%1&lt;/b&gt; (%2), turned on outside this wizard. It stays on after this round, until it is turned off or its time cap is reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: its logging was raised with the product&apos;s own command. It is restored with: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 is now &quot;%3&quot;; it was &quot;%4&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product was restarted to pick up the new level, and is restarted again when the level is restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The normal level also comes back if you go back, cancel or close this window. Full logging ends at the latest at %1 (the time cap); should this tool end unexpectedly, its next start restores the level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time is up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The time cap was reached and the normal logging level was restored. You can still collect what was logged until now, or go back and start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reproduce</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collect &amp;now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::ReviewPage</name>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compressed text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shortened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ollected files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collected files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Exclude file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values and pseudonyms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search all files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Include file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first %1 matches are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln match(es).</source>
        <translation>
            <numerusform>%Ln match.</numerusform>
            <numerusform>%Ln matches.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a file on the left to see its content.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find in this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the redacted copy &amp;side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redacted content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected line; select text in it to redact it everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a line above, then select text here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redact selected text everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings in this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pseudonym</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each value found is replaced by the same pseudonym in every file, so support can still follow one address or name through the logs. This map stays on this computer; it is saved next to the archive for you and never packaged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[host-1], [email-2], or a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Look up:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values and their pseudonyms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occurrences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name, project or anything else to hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text to redact everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also redact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untick a rule to keep everything it found, in every file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redaction rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it finds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text to find in every collected file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;What the archive will hold&lt;/b&gt; (hatched: left out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out of the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln finding(s)</source>
        <translation>
            <numerusform>%Ln finding</numerusform>
            <numerusform>%Ln findings</numerusform>
        </translation>
    </message>
    <message>
        <source>Binary data cannot be shown or redacted. It is left out unless you include it: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compressed log: its text is shown in the redacted copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;By rule: %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Your own terms redacted everywhere: %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;No file is left out.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;%n file(s) left out of the archive:&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;%n file left out of the archive:&lt;/p&gt;</numerusform>
            <numerusform>&lt;p&gt;%n files left out of the archive:&lt;/p&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;The archive also holds manifest.json (what was collected and why), summary.html and redaction.json (counts per rule, never a value).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will be left out of the archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will be in the archive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stands for &quot;%2&quot; (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; becomes %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pseudonym or value matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter at least two characters to redact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; will be redacted in every file. Looking for it...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Continue to save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always redacted: set by your administrator&apos;s policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Redaction cannot be turned off:&lt;/b&gt; every value found is replaced by a pseudonym, so the switches to keep a value are locked. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your administrator&apos;s policy adds its own terms and patterns to the redaction; what they find cannot be kept. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added by your administrator&apos;s policy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&quot;%1&quot; is redacted in every file (%Ln occurrence(s) found).</source>
        <translation>
            <numerusform>&quot;%1&quot; is redacted in every file (%Ln occurrence found).</numerusform>
            <numerusform>&quot;%1&quot; is redacted in every file (%Ln occurrences found).</numerusform>
        </translation>
    </message>
    <message>
        <source>Redact here (rule)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tick here is for this occurrence only; right-click a finding to keep or redact its value everywhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first %1 of %2 findings are listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redacted: policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept here only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redacted here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redacted everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept: rule off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redacted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redact &quot;%1&quot; everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep &quot;%1&quot; everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redact &quot;%1&quot; everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Follow the value&apos;s decision here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::WelcomePage</name>
    <message>
        <source>what the product itself recorded while the problem happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network, installed applications, services, processes, drives, device and user names, so support knows the environment the product runs in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the operating system&apos;s recent logs, which often show the cause of a failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a snapshot of recent system events, to line them up with the problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reports of programs that crashed, so support can see where they failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this tool&apos;s own log, to tell a collection problem from a system problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This assistant gathers what a support engineer needs to solve your case, and nothing more. You choose what is collected, review everything before it is packaged, and decide where it goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is collected and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where your data goes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support case ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example 12345</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support &amp;case ID (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;. It names the archive and goes with an upload.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent to collect diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is first copied into a private folder on this computer that only you can read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal data (e-mail and IP addresses, user and host names, passwords and keys) is replaced by pseudonyms. You can review and change every decision before anything is packaged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is saved on this computer, on your Desktop unless you choose another folder. &lt;b&gt;Nothing is sent to anyone without your confirmation on the last page.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support uses the data only for your case and deletes it when the case is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Archives and pseudonym maps left on this computer are deleted after %n day(s).</source>
        <translation>
            <numerusform>Archives and pseudonym maps left on this computer are deleted after %n day.</numerusform>
            <numerusform>Archives and pseudonym maps left on this computer are deleted after %n days.</numerusform>
        </translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Full logging was still on&lt;/b&gt; from an earlier run that did not end normally (or ran past its time cap). It was turned off and the normal logging level restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full logging left on by an earlier run could not be checked or restored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What did support ask for?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled by your administrator&apos;s policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) that are collected only in this mode</source>
        <translation>
            <numerusform>%n item that is collected only in this mode</numerusform>
            <numerusform>%n items that are collected only in this mode</numerusform>
        </translation>
    </message>
    <message>
        <source>the product&apos;s complete logs: older, rotated and compressed files too, without the size limit per file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Full-log mode collects more data than a normal collection&lt;/b&gt;, so the archive is larger and may hold more personal data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before collecting, the product&apos;s logging is raised to full (%1) and you reproduce the problem. The previous level is recorded first and restored right after the collection, also if you cancel or close the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Full logging lasts %n minute(s) at most.</source>
        <translation>
            <numerusform>Full logging lasts %n minute at most.</numerusform>
            <numerusform>Full logging lasts %n minutes at most.</numerusform>
        </translation>
    </message>
    <message>
        <source>N&amp;ormal collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support asked me for full &amp;logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have &amp;read this and want to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the product&apos;s crash dumps themselves, whole: binary files that cannot be redacted as text, so every value chosen for redaction is masked in them; you can still leave them out in the review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile cannot be used (see the message above).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick &quot;I have read this&quot; to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case ID may hold only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::WhatCollectedDialog</name>
    <message>
        <source>What is collected?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Profile &quot;%1&quot;: %n item(s) on this computer. %2</source>
        <translation>
            <numerusform>Profile &quot;%1&quot;: %n item on this computer. %2</numerusform>
            <numerusform>Profile &quot;%1&quot;: %n items on this computer. %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Items the profile collects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why support needs it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::WizardContext</name>
    <message>
        <source>No profile is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by your administrator&apos;s policy (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full-log mode is not allowed on this computer. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full-log mode is not available: the profile in use does not say how to raise the product&apos;s logging.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The normal logging level could not be restored: %1. The next start of this tool tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full logging is off again: the normal logging level of %1 was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 values replaced by pseudonyms, %L2 kept by your choice.</source>
        <extracomment>The Review&apos;s Summary and the Save page (and, in its words, a receipt): the findings that are replaced and those the user keeps. %L1 and %L2 have the locale&apos;s digit grouping.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dc::gui::WizardPage</name>
    <message>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

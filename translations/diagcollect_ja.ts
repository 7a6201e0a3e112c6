<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AnalysisRules</name>
    <message>
        <source>Unit %1 failed</source>
        <extracomment>Title of the analysis finding &quot;systemd-unit-failed&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>ユニット %1 が失敗しました</translation>
    </message>
    <message>
        <source>systemd reports this unit in the failed state: the service it runs is not working.</source>
        <translation>systemd はこのユニットを失敗状態と報告しています。このユニットが動かすサービスは動作していません。</translation>
    </message>
    <message>
        <source>Read the unit&apos;s status and journal (services/failed-status.txt), fix the cause, then run: systemctl restart UNIT.</source>
        <translation>ユニットの状態とジャーナル (services/failed-status.txt) を読んで原因を直し、systemctl restart UNIT を実行してください。</translation>
    </message>
    <message>
        <source>Unit %1 keeps restarting</source>
        <extracomment>Title of the analysis finding &quot;systemd-restart-loop&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>ユニット %1 が再起動を繰り返しています</translation>
    </message>
    <message>
        <source>systemd restarted this unit five times or more in a row: it starts, fails and is started again.</source>
        <translation>systemd はこのユニットを続けて 5 回以上再起動しました。起動しては失敗し、また起動されています。</translation>
    </message>
    <message>
        <source>Look for the first error after each start in the journal of this unit; a wrong configuration or a missing file is the usual cause.</source>
        <translation>このユニットのジャーナルで、各起動後の最初のエラーを探してください。設定の誤りやファイルの欠落がよくある原因です。</translation>
    </message>
    <message>
        <source>File system %1 is almost full</source>
        <extracomment>Title of the analysis finding &quot;disk-full&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>ファイルシステム %1 がほぼいっぱいです</translation>
    </message>
    <message>
        <source>More than 90 % of this file system is used. Programs fail in unexpected ways when they cannot write logs, databases or temporary files.</source>
        <translation>このファイルシステムは 90 % 以上使用されています。ログ、データベース、一時ファイルを書き込めないと、プログラムは予期しない形で失敗します。</translation>
    </message>
    <message>
        <source>Free space on it (old logs, package caches, core dumps) or make it larger.</source>
        <translation>空き領域を作る (古いログ、パッケージ キャッシュ、コア ダンプ) か、ファイルシステムを大きくしてください。</translation>
    </message>
    <message>
        <source>File system %1 is running out of inodes</source>
        <extracomment>Title of the analysis finding &quot;inodes-exhausted&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>ファイルシステム %1 の inode が不足しています</translation>
    </message>
    <message>
        <source>More than 90 % of the inodes (file entries) of this file system are used: no new file can be created there, even with free space left.</source>
        <translation>このファイルシステムの inode (ファイル エントリ) の 90 % 以上が使用されています。空き領域があっても新しいファイルを作成できません。</translation>
    </message>
    <message>
        <source>Find the folders holding millions of small files (mail queues, caches, session files) and clean them up.</source>
        <translation>小さなファイルを大量に抱えるフォルダー (メール キュー、キャッシュ、セッション ファイル) を見つけて整理してください。</translation>
    </message>
    <message>
        <source>The folder this run writes to is almost full</source>
        <extracomment>Title of the analysis finding &quot;output-folder-full&quot;.</extracomment>
        <translation>この実行の書き込み先フォルダーがほぼいっぱいです</translation>
    </message>
    <message>
        <source>The staging or output folder of this collection has more than 90 % of its space or inodes used: the archive may be cut short, and the machine itself is short of space.</source>
        <translation>この収集のステージング フォルダーまたは出力フォルダーは、領域または inode の 90 % 以上が使用されています。アーカイブが途中で切れるおそれがあり、マシン自体も容量不足です。</translation>
    </message>
    <message>
        <source>Free space there, or collect again with --output pointing at a folder on another disk.</source>
        <translation>そこに空き領域を作るか、別のディスク上のフォルダーを --output に指定して収集し直してください。</translation>
    </message>
    <message>
        <source>The kernel killed %1 when memory ran out</source>
        <extracomment>Title of the analysis finding &quot;oom-kill&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>メモリ不足のためカーネルが %1 を強制終了しました</translation>
    </message>
    <message>
        <source>The system ran out of memory and the kernel&apos;s OOM killer ended this process.</source>
        <translation>システムのメモリが不足し、カーネルの OOM キラーがこのプロセスを終了させました。</translation>
    </message>
    <message>
        <source>Check which process used the memory (processes.txt, the kernel log before the kill) and add memory or limit that process.</source>
        <translation>どのプロセスがメモリを使っていたか (processes.txt、強制終了前のカーネル ログ) を確認し、メモリを増やすかそのプロセスを制限してください。</translation>
    </message>
    <message>
        <source>%1 crashed with a segmentation fault</source>
        <extracomment>Title of the analysis finding &quot;segfault&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>%1 がセグメンテーション違反でクラッシュしました</translation>
    </message>
    <message>
        <source>The kernel logged a segmentation fault of this program: it accessed memory it must not and was stopped.</source>
        <translation>カーネルがこのプログラムのセグメンテーション違反を記録しました。アクセスしてはならないメモリにアクセスしたため停止されました。</translation>
    </message>
    <message>
        <source>Update the program; if it keeps crashing, send its crash dump (coredumpctl) to its vendor.</source>
        <translation>プログラムを更新してください。クラッシュが続く場合は、クラッシュ ダンプ (coredumpctl) を提供元に送ってください。</translation>
    </message>
    <message>
        <source>The clock is not synchronized</source>
        <extracomment>Title of the analysis finding &quot;clock-not-synchronized&quot;.</extracomment>
        <translation>時刻が同期されていません</translation>
    </message>
    <message>
        <source>The system clock is not kept in step with a time server. A wrong clock breaks certificate checks, licences and Kerberos, and makes logs hard to correlate.</source>
        <translation>システム時刻がタイム サーバーと同期されていません。時刻がずれていると証明書の検証、ライセンス、Kerberos が失敗し、ログの突き合わせも難しくなります。</translation>
    </message>
    <message>
        <source>Enable time synchronization (timedatectl set-ntp true, or chrony/ntpd) and check that the time server can be reached.</source>
        <translation>時刻同期を有効にし (timedatectl set-ntp true、または chrony/ntpd)、タイム サーバーに到達できることを確認してください。</translation>
    </message>
    <message>
        <source>No DNS server is configured</source>
        <extracomment>Title of the analysis finding &quot;dns-no-resolver&quot;.</extracomment>
        <translation>DNS サーバーが設定されていません</translation>
    </message>
    <message>
        <source>/etc/resolv.conf names no name server, so host names cannot be resolved: updates, licence checks and cloud services fail.</source>
        <translation>/etc/resolv.conf にネーム サーバーが 1 つもないため、ホスト名を解決できません。更新、ライセンス確認、クラウド サービスが失敗します。</translation>
    </message>
    <message>
        <source>Configure a DNS server (NetworkManager, systemd-resolved or /etc/resolv.conf) and check with: getent hosts example.com.</source>
        <translation>DNS サーバーを設定し (NetworkManager、systemd-resolved、または /etc/resolv.conf)、getent hosts example.com で確認してください。</translation>
    </message>
    <message>
        <source>A proxy is set for this session but not system-wide</source>
        <extracomment>Title of the analysis finding &quot;proxy-environment-only&quot;.</extracomment>
        <translation>このセッションにはプロキシが設定されていますが、システム全体には設定されていません</translation>
    </message>
    <message>
        <source>The environment of this session names a proxy, but no system configuration does: services started by the system connect without the proxy and may fail where this session succeeds.</source>
        <translation>このセッションの環境はプロキシを指定していますが、システムの設定には指定がありません。システムが起動するサービスはプロキシなしで接続し、このセッションでは成功する通信に失敗することがあります。</translation>
    </message>
    <message>
        <source>Configure the proxy system-wide (/etc/environment and the package manager) or for the product&apos;s service.</source>
        <translation>プロキシをシステム全体 (/etc/environment とパッケージ マネージャー) または製品のサービスに設定してください。</translation>
    </message>
    <message>
        <source>A proxy is configured system-wide but not in this session</source>
        <extracomment>Title of the analysis finding &quot;proxy-system-only&quot;.</extracomment>
        <translation>プロキシはシステム全体に設定されていますが、このセッションには設定されていません</translation>
    </message>
    <message>
        <source>System configuration names a proxy, but the environment of this session does not: programs started from here connect directly and may fail where services succeed.</source>
        <translation>システムの設定はプロキシを指定していますが、このセッションの環境には指定がありません。ここから起動したプログラムは直接接続し、サービスでは成功する通信に失敗することがあります。</translation>
    </message>
    <message>
        <source>If this network needs the proxy, set http_proxy and https_proxy for this session too.</source>
        <translation>このネットワークでプロキシが必要な場合は、このセッションにも http_proxy と https_proxy を設定してください。</translation>
    </message>
    <message>
        <source>%1 crashed in the last 7 days</source>
        <extracomment>Title of the analysis finding &quot;crash-recent&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>%1 が過去 7 日以内にクラッシュしました</translation>
    </message>
    <message>
        <source>systemd-coredump recorded a crash of this program during the last week.</source>
        <translation>systemd-coredump がこの 1 週間にこのプログラムのクラッシュを記録しました。</translation>
    </message>
    <message>
        <source>See coredump-info.txt for the signal and stack; update the program or send the dump to its vendor.</source>
        <translation>シグナルとスタックは coredump-info.txt を参照してください。プログラムを更新するか、ダンプを提供元に送ってください。</translation>
    </message>
    <message>
        <source>Crash report %1 in /var/crash</source>
        <extracomment>Title of the analysis finding &quot;crash-reports&quot;; %1 is what the finding is about (a unit, a file system, a program).</extracomment>
        <translation>/var/crash にクラッシュ レポート %1 があります</translation>
    </message>
    <message>
        <source>A crash report was left in /var/crash: the program named in it crashed on this machine.</source>
        <translation>/var/crash にクラッシュ レポートが残っています。そこに名前のあるプログラムがこのマシンでクラッシュしました。</translation>
    </message>
    <message>
        <source>Open the report (apport-unpack or the distribution&apos;s crash reporter) to see the program and the stack; send it to the program&apos;s vendor.</source>
        <translation>レポートを開いて (apport-unpack またはディストリビューションのクラッシュ レポーター) プログラムとスタックを確認し、プログラムの提供元に送ってください。</translation>
    </message>
    <message>
        <source>The product wrote crash dumps</source>
        <extracomment>Title of the analysis finding &quot;product-crash-dumps&quot;.</extracomment>
        <translation>製品がクラッシュ ダンプを書き出しました</translation>
    </message>
    <message>
        <source>The product&apos;s crash dump folder holds dumps: one of its processes crashed.</source>
        <translation>製品のクラッシュ ダンプ フォルダーにダンプがあります。製品のプロセスのいずれかがクラッシュしました。</translation>
    </message>
    <message>
        <source>Send the dumps to the product&apos;s support; they show where it crashed (collect them with full logs when asked).</source>
        <translation>ダンプを製品のサポートに送ってください。どこでクラッシュしたかがわかります (求められたら完全ログで収集してください)。</translation>
    </message>
    <message>
        <source>The product&apos;s service failed in the last day</source>
        <extracomment>Title of the analysis finding &quot;product-service-failed&quot;.</extracomment>
        <translation>製品のサービスが過去 1 日以内に失敗しました</translation>
    </message>
    <message>
        <source>The journal of the product&apos;s service shows that it stopped with an error or could not start during the last 24 hours.</source>
        <translation>製品のサービスのジャーナルによると、過去 24 時間以内にサービスがエラーで停止したか、起動できませんでした。</translation>
    </message>
    <message>
        <source>Read the lines before the failure in the service&apos;s journal; restart the service once the cause is fixed.</source>
        <translation>サービスのジャーナルで失敗の直前の行を読んでください。原因を直したらサービスを再起動してください。</translation>
    </message>
    <message>
        <source>The product&apos;s log shows repeated errors in the last hour</source>
        <extracomment>Title of the analysis finding &quot;product-log-errors&quot;.</extracomment>
        <translation>製品のログに過去 1 時間のエラーが繰り返し記録されています</translation>
    </message>
    <message>
        <source>The product logged five errors or more during the hour before this collection.</source>
        <translation>製品はこの収集の前の 1 時間に 5 件以上のエラーを記録しました。</translation>
    </message>
    <message>
        <source>Read the error lines in the product&apos;s log: the first one usually names the cause.</source>
        <translation>製品のログのエラー行を読んでください。通常は最初のエラーが原因を示しています。</translation>
    </message>
    <message>
        <source>Some data could not be collected</source>
        <extracomment>Title of the analysis finding &quot;items-failed&quot;.</extracomment>
        <translation>一部のデータを収集できませんでした</translation>
    </message>
    <message>
        <source>Items of this collection failed or timed out: support will not find their data in this archive.</source>
        <translation>この収集の一部の項目が失敗またはタイムアウトしました。サポートはこのアーカイブでそれらのデータを見ることができません。</translation>
    </message>
    <message>
        <source>See the reasons below; fix them (a missing tool, a hung command) and collect again if support needs this data.</source>
        <translation>下の理由を確認して対処し (ツールの不足、応答しないコマンド)、サポートがこのデータを必要とする場合は収集し直してください。</translation>
    </message>
    <message>
        <source>Some data could not be read without more rights</source>
        <extracomment>Title of the analysis finding &quot;items-permission-denied&quot;.</extracomment>
        <translation>一部のデータは、より高い権限がないと読み取れませんでした</translation>
    </message>
    <message>
        <source>Files or commands of this collection were refused for lack of rights: support will not find them in this archive.</source>
        <translation>この収集の一部のファイルやコマンドが権限不足のため拒否されました。サポートはこのアーカイブでそれらを見ることができません。</translation>
    </message>
    <message>
        <source>Run the collection as administrator (sudo diagcollect collect) if support needs this data.</source>
        <translation>サポートがこのデータを必要とする場合は、管理者として収集を実行してください (sudo diagcollect collect)。</translation>
    </message>
    <message>
        <source>Some files were cut to fit the size limits</source>
        <extracomment>Title of the analysis finding &quot;items-truncated&quot;.</extracomment>
        <translation>一部のファイルはサイズ制限に合わせて切り詰められました</translation>
    </message>
    <message>
        <source>Files of this collection were larger than the profile&apos;s limits and only their newest part was kept.</source>
        <translation>この収集の一部のファイルはプロファイルの制限より大きかったため、新しい部分だけが保持されました。</translation>
    </message>
    <message>
        <source>If support needs the older part, collect again with full logs or a profile with larger limits.</source>
        <translation>サポートが古い部分を必要とする場合は、完全ログ、またはより大きな制限のプロファイルで収集し直してください。</translation>
    </message>
</context>
<context>
    <name>Categories</name>
    <message>
        <source>Product service logs</source>
        <translation>製品のサービスログ</translation>
    </message>
    <message>
        <source>Operating system configuration</source>
        <translation>オペレーティングシステムの構成</translation>
    </message>
    <message>
        <source>System logs</source>
        <translation>システムログ</translation>
    </message>
    <message>
        <source>Event history</source>
        <translation>イベント履歴</translation>
    </message>
    <message>
        <source>Crash dumps</source>
        <translation>クラッシュダンプ</translation>
    </message>
    <message>
        <source>This tool&apos;s own log</source>
        <translation>このツール自身のログ</translation>
    </message>
</context>
<context>
    <name>ItemReasons</name>
    <message>
        <source>not found</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>nothing found</source>
        <translation>何も見つかりませんでした</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>アクセスが拒否されました</translation>
    </message>
    <message>
        <source>vanished while collecting</source>
        <translation>収集中に消えました</translation>
    </message>
    <message>
        <source>symlink loop</source>
        <translation>シンボリックリンクがループしています</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>dangling symlink</source>
        <translation>リンク先のないシンボリックリンク</translation>
    </message>
    <message>
        <source>dangling symlink or symlink loop</source>
        <translation>リンク先のないシンボリックリンク、またはループしているシンボリックリンク</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>通常のファイルではありません</translation>
    </message>
    <message>
        <source>not a regular file (FIFO)</source>
        <translation>通常のファイルではありません (FIFO)</translation>
    </message>
    <message>
        <source>not a regular file (socket)</source>
        <translation>通常のファイルではありません (ソケット)</translation>
    </message>
    <message>
        <source>not a regular file (character device)</source>
        <translation>通常のファイルではありません (キャラクターデバイス)</translation>
    </message>
    <message>
        <source>not a regular file (block device)</source>
        <translation>通常のファイルではありません (ブロックデバイス)</translation>
    </message>
    <message>
        <source>not a regular file (folder)</source>
        <translation>通常のファイルではありません (フォルダー)</translation>
    </message>
    <message>
        <source>not an absolute path</source>
        <translation>絶対パスではありません</translation>
    </message>
    <message>
        <source>folder nested too deeply</source>
        <translation>フォルダーの階層が深すぎます</translation>
    </message>
    <message>
        <source>symbolic link (not followed)</source>
        <translation>シンボリックリンク (たどりません)</translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed)</source>
        <translation>%1 へのシンボリックリンク (たどりません)</translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed: outside %2)</source>
        <translation>%1 へのシンボリックリンク (%2 の外なのでたどりません)</translation>
    </message>
    <message>
        <source>symbolic link to %1 (not followed: owned by %2)</source>
        <translation>%1 へのシンボリックリンク (所有者が %2 なのでたどりません)</translation>
    </message>
    <message>
        <source>replaced while collecting (not collected)</source>
        <translation>収集中に置き換えられました (収集しません)</translation>
    </message>
    <message>
        <source>hard link to a file owned by %1 in a folder of %2 (not collected)</source>
        <translation>%2 のフォルダーにある、%1 が所有するファイルへのハードリンク (収集しません)</translation>
    </message>
    <message>
        <source>rotated copy of %1 (the item does not take rotated logs)</source>
        <translation>%1 のローテートされたコピー (この項目はローテート済みのログを収集しません)</translation>
    </message>
    <message>
        <source>older than %1 days</source>
        <translation>%1 日より古いファイル</translation>
    </message>
    <message>
        <source>read error: %1</source>
        <translation>読み取りエラー: %1</translation>
    </message>
    <message>
        <source>cannot write to staging</source>
        <translation>一時フォルダーに書き込めません</translation>
    </message>
    <message>
        <source>cannot write to staging: %1</source>
        <translation>一時フォルダーに書き込めません: %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>the file shrank while it was read (%1 bytes when opened, %2 after, modified %3 -&gt; %4); kept %5 bytes</source>
        <translation>読み取り中にファイルが小さくなりました (開いたとき %1 バイト、後で %2 バイト、更新 %3 -&gt; %4)。%5 バイトを保持しました</translation>
    </message>
    <message>
        <source>kept the newest %1 of %2 bytes</source>
        <translation>%2 バイトのうち新しい %1 バイトを保持しました</translation>
    </message>
    <message>
        <source>kept the first %1 of %2 bytes</source>
        <translation>%2 バイトのうち先頭の %1 バイトを保持しました</translation>
    </message>
    <message>
        <source>kept the first %1 bytes</source>
        <translation>先頭の %1 バイトを保持しました</translation>
    </message>
    <message>
        <source>kept the newest %1 of %2 matching files</source>
        <translation>該当する %2 個のファイルのうち新しい %1 個を保持しました</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>中止しました: %1</translation>
    </message>
    <message>
        <source>and %1 more: %2</source>
        <translation>ほかに %1 件: %2</translation>
    </message>
    <message>
        <source>cut to the newest %1 bytes to fit the run&apos;s %2-byte budget</source>
        <translation>収集全体の上限 %2 バイトに収めるため、新しい %1 バイトに切り詰めました</translation>
    </message>
    <message>
        <source>left out: over the run&apos;s %1-byte budget</source>
        <translation>除外しました: 収集全体の上限 %1 バイトを超えています</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>インストールされていません</translation>
    </message>
    <message>
        <source>needs administrator rights</source>
        <translation>管理者権限が必要です</translation>
    </message>
    <message>
        <source>needs administrator rights (%1)</source>
        <translation>管理者権限が必要です (%1)</translation>
    </message>
    <message>
        <source>empty command</source>
        <translation>コマンドが空です</translation>
    </message>
    <message>
        <source>cannot run: %1</source>
        <translation>実行できません: %1</translation>
    </message>
    <message>
        <source>timed out after %1 s</source>
        <translation>%1 秒でタイムアウトしました</translation>
    </message>
    <message>
        <source>timed out after %1 s; output is partial</source>
        <translation>%1 秒でタイムアウトしました。出力は一部だけです</translation>
    </message>
    <message>
        <source>output capped at %1 bytes</source>
        <translation>出力を %1 バイトで打ち切りました</translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation>シグナル %1 で強制終了されました</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>クラッシュしました</translation>
    </message>
    <message>
        <source>exit status unknown</source>
        <translation>終了ステータスが不明です</translation>
    </message>
    <message>
        <source>exit status %1: %2</source>
        <translation>終了ステータス %1: %2</translation>
    </message>
    <message>
        <source>exit status %1</source>
        <translation>終了ステータス %1</translation>
    </message>
    <message>
        <source>nothing to report (%1)</source>
        <translation>報告する内容はありません (%1)</translation>
    </message>
    <message>
        <source>unknown probe &quot;%1&quot;</source>
        <translation>不明なプローブ「%1」</translation>
    </message>
    <message>
        <source>the probe found nothing to report</source>
        <translation>プローブは報告する内容を見つけませんでした</translation>
    </message>
    <message>
        <source>output cut at max_bytes (%1 of %2 bytes kept)</source>
        <translation>出力を max_bytes で切り詰めました (%2 バイトのうち %1 バイトを保持)</translation>
    </message>
    <message>
        <source>not available on this platform</source>
        <translation>このプラットフォームでは使えません</translation>
    </message>
    <message>
        <source>no &quot;path&quot; argument</source>
        <translation>引数「path」がありません</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 は存在しません</translation>
    </message>
    <message>
        <source>%1 is not a directory</source>
        <translation>%1 はフォルダーではありません</translation>
    </message>
    <message>
        <source>/proc/self/mountinfo is not readable</source>
        <translation>/proc/self/mountinfo を読み取れません</translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot; (expected table, tsv or jsonl)</source>
        <translation>不明な形式「%1」(table、tsv、jsonl のいずれか)</translation>
    </message>
    <message>
        <source>systemd is not running here (a container or chroot?)</source>
        <translation>このシステムでは systemd が動いていません (コンテナーか chroot の中?)</translation>
    </message>
    <message>
        <source>this system has no systemd journal</source>
        <translation>このシステムには systemd のジャーナルがありません</translation>
    </message>
    <message>
        <source>No such file or directory</source>
        <translation>そのようなファイルやフォルダーはありません</translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation>アクセスが拒否されました</translation>
    </message>
    <message>
        <source>Operation not permitted</source>
        <translation>許可されていない操作です</translation>
    </message>
    <message>
        <source>Not a directory</source>
        <translation>フォルダーではありません</translation>
    </message>
    <message>
        <source>Is a directory</source>
        <translation>フォルダーです</translation>
    </message>
    <message>
        <source>Input/output error</source>
        <translation>入出力エラー</translation>
    </message>
    <message>
        <source>Too many levels of symbolic links</source>
        <translation>シンボリックリンクの階層が多すぎます</translation>
    </message>
    <message>
        <source>No such device or address</source>
        <translation>そのようなデバイスやアドレスはありません</translation>
    </message>
    <message>
        <source>No space left on device</source>
        <translation>デバイスに空き容量がありません</translation>
    </message>
    <message>
        <source>Stale file handle</source>
        <translation>古いファイルハンドルです</translation>
    </message>
    <message>
        <source>File name too long</source>
        <translation>ファイル名が長すぎます</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) cannot be read: %1</source>
        <translation>
            <numerusform>%n 個のファイルを読み取れません: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileTexts</name>
    <message>
        <source>Built-in default profile: the operating system configuration, system logs, event history and crash reports support needs for any problem on Linux, Windows and macOS, plus this tool&apos;s own log.</source>
        <translation>組み込みの既定プロファイル: Linux、Windows、macOS のあらゆる問題でサポートが必要とするオペレーティングシステムの構成、システムログ、イベント履歴、クラッシュレポートと、このツール自身のログ。</translation>
    </message>
    <message>
        <source>System summary</source>
        <translation>システムの概要</translation>
    </message>
    <message>
        <source>OS release, kernel, uptime, locale, time zone, virtualization and hardware in one page: the first thing support reads to know what machine this is.</source>
        <translation>OS のリリース、カーネル、稼働時間、ロケール、タイムゾーン、仮想化、ハードウェアを 1 ページに: どんなマシンかを知るためにサポートが最初に読むものです。</translation>
    </message>
    <message>
        <source>OS identity files</source>
        <translation>OS 識別ファイル</translation>
    </message>
    <message>
        <source>The files that name the OS release, host name, time zone and default locale, as the system itself reads them.</source>
        <translation>OS のリリース、ホスト名、タイムゾーン、既定のロケールを示すファイル (システム自身が読むとおりのもの)。</translation>
    </message>
    <message>
        <source>Time and clock synchronization</source>
        <translation>時刻と時計の同期</translation>
    </message>
    <message>
        <source>Time zone, clock synchronization (NTP) and RTC state: wrong clocks break certificates, licences and log correlation.</source>
        <translation>タイムゾーン、時計の同期 (NTP)、RTC の状態: 時計がずれていると証明書、ライセンス、ログの突き合わせが機能しません。</translation>
    </message>
    <message>
        <source>Locale</source>
        <translation>ロケール</translation>
    </message>
    <message>
        <source>System locale and keyboard layout, which change how programs parse and print text.</source>
        <translation>システムのロケールとキーボード配列: プログラムがテキストを解析・表示する方法に影響します。</translation>
    </message>
    <message>
        <source>Host identity</source>
        <translation>ホストの識別情報</translation>
    </message>
    <message>
        <source>Host name, chassis, OS, kernel and virtualization as systemd sees them.</source>
        <translation>systemd から見たホスト名、筐体、OS、カーネル、仮想化。</translation>
    </message>
    <message>
        <source>Virtualization</source>
        <translation>仮想化</translation>
    </message>
    <message>
        <source>Names the hypervisor or container technology, which explains many timing, device and networking differences.</source>
        <translation>ハイパーバイザーやコンテナーの技術名: タイミング、デバイス、ネットワークの違いの多くはこれで説明がつきます。</translation>
    </message>
    <message>
        <source>uptime</source>
        <translation>稼働時間 (uptime)</translation>
    </message>
    <message>
        <source>How long the system has been up and its load: a recent reboot or a saturated CPU changes the diagnosis.</source>
        <translation>システムの稼働時間と負荷: 最近の再起動や CPU の飽和は診断を変えます。</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU (プロセッサー)</translation>
    </message>
    <message>
        <source>CPU model, cores, flags and vulnerability mitigations, for performance and compatibility questions.</source>
        <translation>CPU のモデル、コア数、フラグ、脆弱性の緩和策: 性能や互換性の問題のため。</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>メモリ</translation>
    </message>
    <message>
        <source>Memory and swap use: memory pressure explains slowness and killed processes.</source>
        <translation>メモリとスワップの使用量: メモリ不足は動作の遅さや強制終了されたプロセスの原因になります。</translation>
    </message>
    <message>
        <source>Network summary</source>
        <translation>ネットワークの概要</translation>
    </message>
    <message>
        <source>Interfaces, addresses, traffic counters and routes read directly from the kernel, present even when no network tools are installed.</source>
        <translation>カーネルから直接読み取ったインターフェイス、アドレス、通信量カウンター、ルート: ネットワークツールがなくても取得できます。</translation>
    </message>
    <message>
        <source>Interfaces and addresses</source>
        <translation>インターフェイスとアドレス</translation>
    </message>
    <message>
        <source>Interfaces with addresses, link state and driver details, to check the machine is on the network it should be.</source>
        <translation>アドレス、リンク状態、ドライバーの詳細付きのインターフェイス: マシンが正しいネットワークにつながっているかを確認します。</translation>
    </message>
    <message>
        <source>IPv4 routes</source>
        <translation>IPv4 ルート</translation>
    </message>
    <message>
        <source>The IPv4 routing table: which gateway traffic to a server takes.</source>
        <translation>IPv4 ルーティングテーブル: サーバーへの通信がどのゲートウェイを通るか。</translation>
    </message>
    <message>
        <source>IPv6 routes</source>
        <translation>IPv6 ルート</translation>
    </message>
    <message>
        <source>The IPv6 routing table: which gateway traffic to a server takes.</source>
        <translation>IPv6 ルーティングテーブル: サーバーへの通信がどのゲートウェイを通るか。</translation>
    </message>
    <message>
        <source>Listening sockets</source>
        <translation>待ち受けソケット</translation>
    </message>
    <message>
        <source>Listening TCP and UDP sockets (with processes when run as administrator): port conflicts and services that are not listening.</source>
        <translation>待ち受け中の TCP・UDP ソケット (管理者として実行した場合はプロセスも): ポートの競合や待ち受けていないサービスがわかります。</translation>
    </message>
    <message>
        <source>DNS (systemd-resolved)</source>
        <translation>DNS 設定 (systemd-resolved)</translation>
    </message>
    <message>
        <source>DNS servers and search domains per link as systemd-resolved applies them: name-resolution failures are a common cause of connection errors.</source>
        <translation>systemd-resolved が適用しているリンクごとの DNS サーバーと検索ドメイン: 名前解決の失敗は接続エラーのよくある原因です。</translation>
    </message>
    <message>
        <source>Name resolution files</source>
        <translation>名前解決のファイル</translation>
    </message>
    <message>
        <source>Resolver configuration, static host names and the name-service order, which decide how host names resolve.</source>
        <translation>リゾルバーの設定、静的なホスト名、名前サービスの順序: ホスト名がどう解決されるかを決めます。</translation>
    </message>
    <message>
        <source>NetworkManager connections</source>
        <translation>NetworkManager の接続</translation>
    </message>
    <message>
        <source>NetworkManager connections (names, types, devices; no secrets): which profiles are active, VPNs included.</source>
        <translation>NetworkManager の接続 (名前、種類、デバイス。秘密情報は含みません): VPN を含め、どのプロファイルが有効か。</translation>
    </message>
    <message>
        <source>Proxy settings</source>
        <translation>プロキシ設定</translation>
    </message>
    <message>
        <source>Proxy settings from the environment and system configuration: a proxy that is set, or missing, explains failing downloads and updates.</source>
        <translation>環境変数とシステム設定のプロキシ: プロキシの設定やその欠落は、ダウンロードや更新の失敗の原因になります。</translation>
    </message>
    <message>
        <source>Firewall (nftables)</source>
        <translation>ファイアウォール (nftables)</translation>
    </message>
    <message>
        <source>The nftables firewall rule set: blocked ports and addresses.</source>
        <translation>nftables ファイアウォールのルールセット: ブロックされているポートやアドレス。</translation>
    </message>
    <message>
        <source>Firewall (iptables)</source>
        <translation>ファイアウォール (iptables)</translation>
    </message>
    <message>
        <source>The iptables firewall rules (legacy and compatibility layer): blocked ports and addresses.</source>
        <translation>iptables ファイアウォールのルール (レガシーと互換レイヤー): ブロックされているポートやアドレス。</translation>
    </message>
    <message>
        <source>Installed packages (dpkg)</source>
        <translation>インストール済みパッケージ (dpkg)</translation>
    </message>
    <message>
        <source>Installed Debian/Ubuntu packages with version and architecture: which versions of libraries and dependencies the product runs with.</source>
        <translation>バージョンとアーキテクチャ付きのインストール済み Debian/Ubuntu パッケージ: 製品が使っているライブラリや依存関係のバージョン。</translation>
    </message>
    <message>
        <source>Installed packages (rpm)</source>
        <translation>インストール済みパッケージ (rpm)</translation>
    </message>
    <message>
        <source>Installed RPM packages with version and architecture: which versions of libraries and dependencies the product runs with.</source>
        <translation>バージョンとアーキテクチャ付きのインストール済み RPM パッケージ: 製品が使っているライブラリや依存関係のバージョン。</translation>
    </message>
    <message>
        <source>Installed Flatpaks</source>
        <translation>インストール済み Flatpak</translation>
    </message>
    <message>
        <source>Installed Flatpak applications and runtimes with version and architecture.</source>
        <translation>バージョンとアーキテクチャ付きのインストール済み Flatpak アプリケーションとランタイム。</translation>
    </message>
    <message>
        <source>Installed snaps</source>
        <translation>インストール済み snap</translation>
    </message>
    <message>
        <source>Installed snaps with version, revision and channel.</source>
        <translation>バージョン、リビジョン、チャンネル付きのインストール済み snap。</translation>
    </message>
    <message>
        <source>Services and units</source>
        <translation>サービスとユニット</translation>
    </message>
    <message>
        <source>Every systemd unit with its load, active and sub state: which services run, which are stopped.</source>
        <translation>すべての systemd ユニットとそのロード・アクティブ・サブ状態: どのサービスが動いていて、どれが止まっているか。</translation>
    </message>
    <message>
        <source>Unit start-up settings</source>
        <translation>ユニットの起動設定</translation>
    </message>
    <message>
        <source>Which units are enabled, disabled or masked at boot.</source>
        <translation>起動時に有効・無効・マスクされているユニット。</translation>
    </message>
    <message>
        <source>Failed units</source>
        <translation>失敗したユニット</translation>
    </message>
    <message>
        <source>The units that have failed: often the direct cause of a problem.</source>
        <translation>失敗したユニット: 問題の直接の原因であることがよくあります。</translation>
    </message>
    <message>
        <source>Failed units in detail</source>
        <translation>失敗したユニットの詳細</translation>
    </message>
    <message>
        <source>Status and last log lines of each failed unit, so support sees why it failed without asking.</source>
        <translation>失敗した各ユニットの状態と最後のログ行: サポートが問い合わせなくても失敗の理由がわかります。</translation>
    </message>
    <message>
        <source>Running processes</source>
        <translation>実行中のプロセス</translation>
    </message>
    <message>
        <source>Running processes with owner, start time, CPU, memory and command line: what else runs next to the product and what uses the resources.</source>
        <translation>所有者、開始時刻、CPU、メモリ、コマンドライン付きの実行中のプロセス: 製品の横で何が動き、何がリソースを使っているか。</translation>
    </message>
    <message>
        <source>Mounted file systems</source>
        <translation>マウントされたファイルシステム</translation>
    </message>
    <message>
        <source>Mounted file systems with type, options and usage, network shares called out: full disks, read-only mounts and unreachable shares.</source>
        <translation>種類、オプション、使用量付きのマウント済みファイルシステム (ネットワーク共有は明示): ディスクの満杯、読み取り専用のマウント、到達できない共有。</translation>
    </message>
    <message>
        <source>Disk usage</source>
        <translation>ディスク使用量</translation>
    </message>
    <message>
        <source>Space and type of each local file system, as df reports it: a full disk breaks logging, updates and databases.</source>
        <translation>df が報告する各ローカルファイルシステムの容量と種類: ディスクが満杯だとログ記録、更新、データベースが動かなくなります。</translation>
    </message>
    <message>
        <source>Inode usage</source>
        <translation>inode 使用量</translation>
    </message>
    <message>
        <source>Inodes used on each local file system: when they run out, no file can be created even with free space (analysis rule inodes-exhausted).</source>
        <translation>各ローカルファイルシステムで使われている inode: 使い切ると空き容量があってもファイルを作れません (分析ルール inodes-exhausted)。</translation>
    </message>
    <message>
        <source>Mount tree</source>
        <translation>マウントツリー</translation>
    </message>
    <message>
        <source>The mount tree, showing what is mounted over what.</source>
        <translation>どこに何がマウントされているかを示すマウントツリー。</translation>
    </message>
    <message>
        <source>Block devices</source>
        <translation>ブロックデバイス</translation>
    </message>
    <message>
        <source>Disks, partitions and their file systems and mount points.</source>
        <translation>ディスク、パーティション、そのファイルシステムとマウントポイント。</translation>
    </message>
    <message>
        <source>Mount configuration</source>
        <translation>マウント設定</translation>
    </message>
    <message>
        <source>The file systems the system mounts at boot and with which options.</source>
        <translation>システムが起動時にマウントするファイルシステムとそのオプション。</translation>
    </message>
    <message>
        <source>Users and host name</source>
        <translation>ユーザーとホスト名</translation>
    </message>
    <message>
        <source>Host name, logged-in users and local account names (no passwords): who uses the machine and which accounts exist.</source>
        <translation>ホスト名、ログイン中のユーザー、ローカルアカウント名 (パスワードは含みません): 誰がマシンを使い、どのアカウントがあるか。</translation>
    </message>
    <message>
        <source>Login sessions</source>
        <translation>ログインセッション</translation>
    </message>
    <message>
        <source>Who is logged in, on which terminal and since when.</source>
        <translation>誰が、どの端末で、いつからログインしているか。</translation>
    </message>
    <message>
        <source>System journal (3 days)</source>
        <translation>システムジャーナル (3 日間)</translation>
    </message>
    <message>
        <source>The system journal of the last three days, newest 50,000 entries: what every service and the kernel reported around the problem.</source>
        <translation>直近 3 日間のシステムジャーナル (新しい順に最大 50,000 件): 問題の前後に各サービスとカーネルが報告した内容。</translation>
    </message>
    <message>
        <source>System journal (14 days)</source>
        <translation>システムジャーナル (14 日間)</translation>
    </message>
    <message>
        <source>The system journal of the last fourteen days, for problems that started earlier (full-log mode only).</source>
        <translation>直近 14 日間のシステムジャーナル: もっと前に始まった問題のため (フルログモードのみ)。</translation>
    </message>
    <message>
        <source>Kernel messages (journal)</source>
        <translation>カーネルメッセージ (ジャーナル)</translation>
    </message>
    <message>
        <source>Kernel messages of the current boot (driver, disk and memory errors), from the journal.</source>
        <translation>ジャーナルから取得した現在の起動のカーネルメッセージ (ドライバー、ディスク、メモリのエラー)。</translation>
    </message>
    <message>
        <source>Kernel ring buffer</source>
        <translation>カーネルリングバッファー</translation>
    </message>
    <message>
        <source>The kernel ring buffer, for systems without a persistent journal; reading it needs administrator rights where dmesg_restrict is set.</source>
        <translation>永続的なジャーナルがないシステムのためのカーネルリングバッファー: dmesg_restrict が設定されている場合、読み取りには管理者権限が必要です。</translation>
    </message>
    <message>
        <source>Logs in /var/log</source>
        <translation>/var/log のログ</translation>
    </message>
    <message>
        <source>Text logs under /var/log (syslog, kernel, authentication, X server, application logs) from the last two weeks, newest bytes of each.</source>
        <translation>/var/log 以下の直近 2 週間のテキストログ (syslog、カーネル、認証、X サーバー、アプリケーションのログ) の、それぞれ最新の部分。</translation>
    </message>
    <message>
        <source>Boot history</source>
        <translation>起動履歴</translation>
    </message>
    <message>
        <source>The list of boots with start and end times: crashes and unexpected reboots show up as short or overlapping boots.</source>
        <translation>起動の一覧と開始・終了時刻: クラッシュや予期しない再起動は短い起動や重なった起動として現れます。</translation>
    </message>
    <message>
        <source>Warnings, current boot</source>
        <translation>警告 (現在の起動)</translation>
    </message>
    <message>
        <source>Warnings and errors since the last boot: what went wrong recently, without the noise.</source>
        <translation>前回の起動以降の警告とエラー: 最近何がおかしくなったかを、ノイズなしで。</translation>
    </message>
    <message>
        <source>Warnings, previous boot</source>
        <translation>警告 (前回の起動)</translation>
    </message>
    <message>
        <source>Warnings and errors of the previous boot, including what happened before a crash or forced restart.</source>
        <translation>前回の起動の警告とエラー: クラッシュや強制再起動の前に起きたことも含みます。</translation>
    </message>
    <message>
        <source>APT history</source>
        <translation>APT 履歴</translation>
    </message>
    <message>
        <source>Package installs, upgrades and removals through apt, with times and command lines: what changed before the problem started.</source>
        <translation>apt によるパッケージのインストール、アップグレード、削除と、その時刻とコマンドライン: 問題が始まる前に何が変わったか。</translation>
    </message>
    <message>
        <source>dpkg log</source>
        <translation>dpkg ログ</translation>
    </message>
    <message>
        <source>Every package state change recorded by dpkg, the detailed change history.</source>
        <translation>dpkg が記録したすべてのパッケージの状態変化: 詳しい変更履歴。</translation>
    </message>
    <message>
        <source>DNF history</source>
        <translation>DNF 履歴</translation>
    </message>
    <message>
        <source>Package transactions through dnf/yum with time and action: what changed before the problem started.</source>
        <translation>dnf/yum によるパッケージのトランザクションと時刻・操作: 問題が始まる前に何が変わったか。</translation>
    </message>
    <message>
        <source>DNF log</source>
        <translation>DNF ログ</translation>
    </message>
    <message>
        <source>The RPM transaction log of dnf: every installed, upgraded and removed package.</source>
        <translation>dnf の RPM トランザクションログ: インストール、アップグレード、削除されたすべてのパッケージ。</translation>
    </message>
    <message>
        <source>Recent crashes</source>
        <translation>最近のクラッシュ</translation>
    </message>
    <message>
        <source>Crashes recorded by systemd-coredump in the last 30 days: time, process, signal and whether the dump is still present.</source>
        <translation>直近 30 日間に systemd-coredump が記録したクラッシュ: 時刻、プロセス、シグナル、ダンプが残っているかどうか。</translation>
    </message>
    <message>
        <source>Recent crash details</source>
        <translation>最近のクラッシュの詳細</translation>
    </message>
    <message>
        <source>Details of the crashes of the last seven days, with the stack summary systemd-coredump recorded, which often makes the dump itself unnecessary.</source>
        <translation>直近 7 日間のクラッシュの詳細と systemd-coredump が記録したスタックの要約: ダンプそのものが不要になることがよくあります。</translation>
    </message>
    <message>
        <source>Crash report folder</source>
        <translation>クラッシュレポートのフォルダー</translation>
    </message>
    <message>
        <source>What is in /var/crash (apport and kdump reports) with sizes and times, even when the reports are too big to include.</source>
        <translation>/var/crash の内容 (apport と kdump のレポート) とサイズ・時刻: レポートが大きすぎて含められない場合も。</translation>
    </message>
    <message>
        <source>Crash reports</source>
        <translation>クラッシュレポート</translation>
    </message>
    <message>
        <source>Crash reports in /var/crash (the first 8 MiB of each: apport reports start with the program, signal and stack).</source>
        <translation>/var/crash のクラッシュレポート (それぞれ先頭 8 MiB。apport のレポートはプログラム、シグナル、スタックから始まります)。</translation>
    </message>
    <message>
        <source>Core dumps</source>
        <translation>コアダンプ</translation>
    </message>
    <message>
        <source>The core files kept by systemd-coredump, for crashes the stack summary does not explain (full-log mode only).</source>
        <translation>systemd-coredump が保存しているコアファイル: スタックの要約で説明できないクラッシュのため (フルログモードのみ)。</translation>
    </message>
    <message>
        <source>System information</source>
        <translation>システム情報</translation>
    </message>
    <message>
        <source>Windows edition and build, install date, boot time, time zone, memory, hotfixes and network adapters in one page.</source>
        <translation>Windows のエディションとビルド、インストール日、起動時刻、タイムゾーン、メモリ、修正プログラム、ネットワークアダプターを 1 ページに。</translation>
    </message>
    <message>
        <source>Hardware and locale</source>
        <translation>ハードウェアとロケール</translation>
    </message>
    <message>
        <source>Hardware vendor and model, BIOS, virtualization, locale and time zone as Windows reports them.</source>
        <translation>Windows が報告するハードウェアのベンダーとモデル、BIOS、仮想化、ロケール、タイムゾーン。</translation>
    </message>
    <message>
        <source>Time synchronization</source>
        <translation>時刻の同期</translation>
    </message>
    <message>
        <source>Clock synchronization source and state: wrong clocks break certificates, sign-in and log correlation.</source>
        <translation>時計の同期元と状態: 時計がずれていると証明書、サインイン、ログの突き合わせが機能しません。</translation>
    </message>
    <message>
        <source>Network configuration</source>
        <translation>ネットワーク構成</translation>
    </message>
    <message>
        <source>Adapters, addresses, DNS servers, DHCP and gateway configuration.</source>
        <translation>アダプター、アドレス、DNS サーバー、DHCP、ゲートウェイの構成。</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>ルート</translation>
    </message>
    <message>
        <source>The IPv4 and IPv6 routing tables: which gateway traffic to a server takes.</source>
        <translation>IPv4 と IPv6 のルーティングテーブル: サーバーへの通信がどのゲートウェイを通るか。</translation>
    </message>
    <message>
        <source>Listening sockets and connections</source>
        <translation>待ち受けソケットと接続</translation>
    </message>
    <message>
        <source>Listening ports and connections with owning process ids: port conflicts and services that are not listening.</source>
        <translation>所有プロセスの ID 付きの待ち受けポートと接続: ポートの競合や待ち受けていないサービスがわかります。</translation>
    </message>
    <message>
        <source>Firewall</source>
        <translation>ファイアウォール</translation>
    </message>
    <message>
        <source>Windows Firewall state and default policy per profile.</source>
        <translation>プロファイルごとの Windows ファイアウォールの状態と既定のポリシー。</translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation>システムのプロキシ</translation>
    </message>
    <message>
        <source>The system (WinHTTP) proxy used by services and updates.</source>
        <translation>サービスや更新が使うシステム (WinHTTP) のプロキシ。</translation>
    </message>
    <message>
        <source>User proxy settings</source>
        <translation>ユーザーのプロキシ設定</translation>
    </message>
    <message>
        <source>The user&apos;s proxy and automatic configuration settings.</source>
        <translation>ユーザーのプロキシと自動構成の設定。</translation>
    </message>
    <message>
        <source>Hosts file</source>
        <translation>hosts ファイル</translation>
    </message>
    <message>
        <source>Static host names, which override DNS.</source>
        <translation>DNS より優先される静的なホスト名。</translation>
    </message>
    <message>
        <source>Installed programs (64-bit)</source>
        <translation>インストール済みプログラム (64 ビット)</translation>
    </message>
    <message>
        <source>Installed programs (machine-wide, 64-bit) with version and publisher from the Uninstall registry key.</source>
        <translation>Uninstall レジストリキーから取得した、バージョンと発行元付きのインストール済みプログラム (コンピューター全体、64 ビット)。</translation>
    </message>
    <message>
        <source>Installed programs (32-bit)</source>
        <translation>インストール済みプログラム (32 ビット)</translation>
    </message>
    <message>
        <source>Installed programs (machine-wide, 32-bit) with version and publisher from the Uninstall registry key.</source>
        <translation>Uninstall レジストリキーから取得した、バージョンと発行元付きのインストール済みプログラム (コンピューター全体、32 ビット)。</translation>
    </message>
    <message>
        <source>Installed programs (user)</source>
        <translation>インストール済みプログラム (ユーザー)</translation>
    </message>
    <message>
        <source>Programs installed for the current user only, with version and publisher.</source>
        <translation>現在のユーザーだけにインストールされたプログラムと、そのバージョンと発行元。</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Every service with its state: which services run, which are stopped.</source>
        <translation>すべてのサービスとその状態: どのサービスが動いていて、どれが止まっているか。</translation>
    </message>
    <message>
        <source>Service configuration</source>
        <translation>サービスの構成</translation>
    </message>
    <message>
        <source>Each service&apos;s start mode, account and executable path, to spot disabled or misconfigured services.</source>
        <translation>各サービスの開始モード、アカウント、実行ファイルのパス: 無効化や設定ミスのあるサービスを見つけるため。</translation>
    </message>
    <message>
        <source>Running processes with owner, memory, CPU time and window title: what else runs next to the product and what uses the resources.</source>
        <translation>所有者、メモリ、CPU 時間、ウィンドウタイトル付きの実行中のプロセス: 製品の横で何が動き、何がリソースを使っているか。</translation>
    </message>
    <message>
        <source>Mapped drives</source>
        <translation>割り当て済みドライブ</translation>
    </message>
    <message>
        <source>Mapped network drives and their state: unreachable shares explain hangs and missing files.</source>
        <translation>割り当て済みのネットワークドライブとその状態: 到達できない共有は応答停止やファイルの欠落の原因になります。</translation>
    </message>
    <message>
        <source>Drives</source>
        <translation>ドライブ</translation>
    </message>
    <message>
        <source>Drives with file system, size, free space and the share behind network drives.</source>
        <translation>ファイルシステム、サイズ、空き容量、ネットワークドライブの共有先付きのドライブ。</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>ホスト名</translation>
    </message>
    <message>
        <source>The computer&apos;s name, as other machines and logs know it.</source>
        <translation>他のマシンやログが知っているこのコンピューターの名前。</translation>
    </message>
    <message>
        <source>Logged-in users</source>
        <translation>ログイン中のユーザー</translation>
    </message>
    <message>
        <source>Who is logged in, in which session and since when.</source>
        <translation>誰が、どのセッションで、いつからログインしているか。</translation>
    </message>
    <message>
        <source>Local accounts</source>
        <translation>ローカルアカウント</translation>
    </message>
    <message>
        <source>Local account names: who may log on to this computer and run the product.</source>
        <translation>ローカルアカウント名: 誰がこのコンピューターにログオンして製品を実行できるか。</translation>
    </message>
    <message>
        <source>System event log</source>
        <translation>システムイベントログ</translation>
    </message>
    <message>
        <source>The newest 5,000 events of the System event log: drivers, services, disks and shutdowns.</source>
        <translation>システムイベントログの最新 5,000 件: ドライバー、サービス、ディスク、シャットダウン。</translation>
    </message>
    <message>
        <source>Application event log</source>
        <translation>アプリケーションイベントログ</translation>
    </message>
    <message>
        <source>The newest 5,000 events of the Application event log: application errors and crashes.</source>
        <translation>アプリケーションイベントログの最新 5,000 件: アプリケーションのエラーとクラッシュ。</translation>
    </message>
    <message>
        <source>Setup event log</source>
        <translation>セットアップイベントログ</translation>
    </message>
    <message>
        <source>The Setup event log: Windows updates and component installs, the change history.</source>
        <translation>セットアップイベントログ: Windows Update とコンポーネントのインストールの変更履歴。</translation>
    </message>
    <message>
        <source>System warnings (14 days)</source>
        <translation>システムの警告 (14 日間)</translation>
    </message>
    <message>
        <source>Critical events, errors and warnings of the System log from the last two weeks, newest first: what went wrong, without the noise.</source>
        <translation>直近 2 週間のシステムログの重大・エラー・警告イベント (新しい順): 何がおかしくなったかを、ノイズなしで。</translation>
    </message>
    <message>
        <source>Installed updates</source>
        <translation>インストール済みの更新プログラム</translation>
    </message>
    <message>
        <source>Installed updates with their dates: what changed before the problem started.</source>
        <translation>インストール済みの更新プログラムとその日付: 問題が始まる前に何が変わったか。</translation>
    </message>
    <message>
        <source>Crash report folders</source>
        <translation>クラッシュレポートのフォルダー一覧</translation>
    </message>
    <message>
        <source>The Windows Error Reporting folders with sizes and times: which programs crashed and when.</source>
        <translation>Windows エラー報告のフォルダーとサイズ・時刻: どのプログラムがいつクラッシュしたか。</translation>
    </message>
    <message>
        <source>Windows Error Reporting reports (Report.wer) and the small dumps attached to them: the faulting module and exception of each crash.</source>
        <translation>Windows エラー報告のレポート (Report.wer) と添付の小さなダンプ: 各クラッシュの障害モジュールと例外。</translation>
    </message>
    <message>
        <source>User crash dump folder</source>
        <translation>ユーザーのクラッシュダンプのフォルダー</translation>
    </message>
    <message>
        <source>The user-mode crash dumps Windows kept for this user, with sizes and times.</source>
        <translation>このユーザーについて Windows が保存したユーザーモードのクラッシュダンプと、そのサイズ・時刻。</translation>
    </message>
    <message>
        <source>User crash dumps</source>
        <translation>ユーザーのクラッシュダンプ</translation>
    </message>
    <message>
        <source>The user-mode crash dumps themselves, for crashes the reports do not explain (full-log mode only).</source>
        <translation>ユーザーモードのクラッシュダンプそのもの: レポートで説明できないクラッシュのため (フルログモードのみ)。</translation>
    </message>
    <message>
        <source>Blue-screen minidumps</source>
        <translation>ブルースクリーンのミニダンプ</translation>
    </message>
    <message>
        <source>Kernel minidumps written after blue screens: the driver that stopped the system.</source>
        <translation>ブルースクリーンの後に書き出されたカーネルのミニダンプ: システムを止めたドライバー。</translation>
    </message>
    <message>
        <source>macOS version</source>
        <translation>macOS のバージョン</translation>
    </message>
    <message>
        <source>The macOS product version and build.</source>
        <translation>macOS の製品バージョンとビルド。</translation>
    </message>
    <message>
        <source>System profile</source>
        <translation>システムプロファイル</translation>
    </message>
    <message>
        <source>Hardware model, CPU, memory, macOS version, boot volume, uptime and secure-boot state in one page.</source>
        <translation>ハードウェアのモデル、CPU、メモリ、macOS のバージョン、起動ボリューム、稼働時間、セキュアブートの状態を 1 ページに。</translation>
    </message>
    <message>
        <source>Hardware summary</source>
        <translation>ハードウェアの概要</translation>
    </message>
    <message>
        <source>CPU model and count, memory size and whether macOS runs in a virtual machine.</source>
        <translation>CPU のモデルと数、メモリサイズ、macOS が仮想マシンで動いているかどうか。</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>稼働時間</translation>
    </message>
    <message>
        <source>How long the system has been up and its load.</source>
        <translation>システムの稼働時間と負荷。</translation>
    </message>
    <message>
        <source>The user&apos;s locale, which changes how programs parse and print text.</source>
        <translation>ユーザーのロケール: プログラムがテキストを解析・表示する方法に影響します。</translation>
    </message>
    <message>
        <source>Interfaces with addresses and link state.</source>
        <translation>アドレスとリンク状態付きのインターフェイス。</translation>
    </message>
    <message>
        <source>DNS configuration</source>
        <translation>DNS 構成</translation>
    </message>
    <message>
        <source>DNS resolvers and search domains per interface and per domain: name-resolution failures are a common cause of connection errors.</source>
        <translation>インターフェイスごと・ドメインごとの DNS リゾルバーと検索ドメイン: 名前解決の失敗は接続エラーのよくある原因です。</translation>
    </message>
    <message>
        <source>The system proxy configuration, including automatic proxy configuration.</source>
        <translation>自動プロキシ構成を含む、システムのプロキシ構成。</translation>
    </message>
    <message>
        <source>The routing tables: which gateway traffic to a server takes.</source>
        <translation>ルーティングテーブル: サーバーへの通信がどのゲートウェイを通るか。</translation>
    </message>
    <message>
        <source>Sockets</source>
        <translation>ソケット</translation>
    </message>
    <message>
        <source>Listening ports and connections: port conflicts and services that are not listening.</source>
        <translation>待ち受けポートと接続: ポートの競合や待ち受けていないサービスがわかります。</translation>
    </message>
    <message>
        <source>Whether the application firewall is on.</source>
        <translation>アプリケーションファイアウォールが有効かどうか。</translation>
    </message>
    <message>
        <source>Static host names and the resolver configuration file.</source>
        <translation>静的なホスト名とリゾルバーの設定ファイル。</translation>
    </message>
    <message>
        <source>Installed packages</source>
        <translation>インストール済みパッケージ</translation>
    </message>
    <message>
        <source>Installed packages (receipts) by identifier: which components are installed.</source>
        <translation>識別子ごとのインストール済みパッケージ (レシート): どのコンポーネントがインストールされているか。</translation>
    </message>
    <message>
        <source>Installed applications</source>
        <translation>インストール済みアプリケーション</translation>
    </message>
    <message>
        <source>The applications in /Applications with their dates.</source>
        <translation>/Applications にあるアプリケーションとその日付。</translation>
    </message>
    <message>
        <source>Services (launchd)</source>
        <translation>サービス (launchd)</translation>
    </message>
    <message>
        <source>Loaded launchd jobs with pid and last exit status: which services run and which keep failing.</source>
        <translation>pid と最後の終了状態付きの読み込み済み launchd ジョブ: どのサービスが動いていて、どれが失敗し続けているか。</translation>
    </message>
    <message>
        <source>Running processes with owner, start time, CPU time, memory and command line.</source>
        <translation>所有者、開始時刻、CPU 時間、メモリ、コマンドライン付きの実行中のプロセス。</translation>
    </message>
    <message>
        <source>Mounted file systems with type and options, network shares included.</source>
        <translation>種類とオプション付きのマウント済みファイルシステム (ネットワーク共有を含む)。</translation>
    </message>
    <message>
        <source>Space of each local volume: a full disk breaks logging and updates.</source>
        <translation>各ローカルボリュームの容量: ディスクが満杯だとログ記録や更新が動かなくなります。</translation>
    </message>
    <message>
        <source>Disks</source>
        <translation>ディスク</translation>
    </message>
    <message>
        <source>Disks, containers and volumes.</source>
        <translation>ディスク、コンテナー、ボリューム。</translation>
    </message>
    <message>
        <source>Local account names and their user ids.</source>
        <translation>ローカルアカウント名とそのユーザー ID。</translation>
    </message>
    <message>
        <source>Unified log (1 hour)</source>
        <translation>統合ログ (1 時間)</translation>
    </message>
    <message>
        <source>The unified log of the last hour: what every process and the kernel reported around the problem.</source>
        <translation>直近 1 時間の統合ログ: 問題の前後に各プロセスとカーネルが報告した内容。</translation>
    </message>
    <message>
        <source>Text logs under /var/log from the last two weeks, newest bytes of each.</source>
        <translation>/var/log 以下の直近 2 週間のテキストログの、それぞれ最新の部分。</translation>
    </message>
    <message>
        <source>Logs in /Library/Logs</source>
        <translation>/Library/Logs のログ</translation>
    </message>
    <message>
        <source>Logs that system components and installed products write to /Library/Logs.</source>
        <translation>システムコンポーネントやインストール済み製品が /Library/Logs に書き込むログ。</translation>
    </message>
    <message>
        <source>Install log</source>
        <translation>インストールログ</translation>
    </message>
    <message>
        <source>Software installs and updates with times: what changed before the problem started.</source>
        <translation>ソフトウェアのインストールと更新とその時刻: 問題が始まる前に何が変わったか。</translation>
    </message>
    <message>
        <source>Install history</source>
        <translation>インストール履歴</translation>
    </message>
    <message>
        <source>Every installed package and update with its date and version.</source>
        <translation>インストールされたすべてのパッケージと更新、その日付とバージョン。</translation>
    </message>
    <message>
        <source>Restart history</source>
        <translation>再起動の履歴</translation>
    </message>
    <message>
        <source>Recent restarts and shutdowns: crashes and forced restarts show up here.</source>
        <translation>最近の再起動とシャットダウン: クラッシュや強制再起動がここに現れます。</translation>
    </message>
    <message>
        <source>Faults (1 day)</source>
        <translation>障害 (1 日)</translation>
    </message>
    <message>
        <source>Faults reported to the unified log during the last day: what went wrong recently, without the noise.</source>
        <translation>直近 1 日に統合ログへ報告された障害: 最近何がおかしくなったかを、ノイズなしで。</translation>
    </message>
    <message>
        <source>System crash report folder</source>
        <translation>システムのクラッシュレポートのフォルダー</translation>
    </message>
    <message>
        <source>The crash, hang and panic reports of the system with their dates.</source>
        <translation>システムのクラッシュ、ハング、パニックのレポートとその日付。</translation>
    </message>
    <message>
        <source>System crash reports</source>
        <translation>システムのクラッシュレポート</translation>
    </message>
    <message>
        <source>Crash, hang and panic reports of system processes: faulting thread and stack of each crash.</source>
        <translation>システムプロセスのクラッシュ、ハング、パニックのレポート: 各クラッシュの障害スレッドとスタック。</translation>
    </message>
    <message>
        <source>User crash reports</source>
        <translation>ユーザーのクラッシュレポート</translation>
    </message>
    <message>
        <source>Crash and hang reports of the user&apos;s applications: faulting thread and stack of each crash.</source>
        <translation>ユーザーのアプリケーションのクラッシュとハングのレポート: 各クラッシュの障害スレッドとスタック。</translation>
    </message>
    <message>
        <source>Diagnostics Collector log</source>
        <translation>Diagnostics Collector のログ</translation>
    </message>
    <message>
        <source>This tool&apos;s own log, so support can tell a collection problem from a system problem.</source>
        <translation>このツール自身のログ: サポートが収集の問題とシステムの問題を見分けられるようにします。</translation>
    </message>
    <message>
        <source>Diagnostics Collector run information</source>
        <translation>Diagnostics Collector の実行情報</translation>
    </message>
    <message>
        <source>Which version of this tool ran with which profile and rights: explains what is and is not in this bundle.</source>
        <translation>このツールのどのバージョンが、どのプロファイルと権限で実行されたか: このバンドルに何が含まれ、何が含まれないかを説明します。</translation>
    </message>
    <message>
        <source>the product</source>
        <translation>製品</translation>
    </message>
    <message>
        <source>Logs of %1 (%2)</source>
        <translation>%1 のログ (%2)</translation>
    </message>
    <message>
        <source>Settings of %1 (%2)</source>
        <translation>%1 の設定 (%2)</translation>
    </message>
    <message>
        <source>Crash dumps of %1 (%2)</source>
        <translation>%1 のクラッシュダンプ (%2)</translation>
    </message>
    <message>
        <source>Journal of the %1 service</source>
        <translation>%1 サービスのジャーナル</translation>
    </message>
    <message>
        <source>The service logs of %1 show what it did and why it failed.</source>
        <translation>%1 のサービスログ: 何をしたか、なぜ失敗したかがわかります。</translation>
    </message>
    <message>
        <source>The configuration of %1 shows how it is set up.</source>
        <translation>%1 の構成: どのように設定されているかがわかります。</translation>
    </message>
    <message>
        <source>Crash dumps of %1 show where it crashed.</source>
        <translation>%1 のクラッシュダンプ: どこでクラッシュしたかがわかります。</translation>
    </message>
    <message>
        <source>The system journal of the %1 service shows its starts, stops and errors.</source>
        <translation>%1 サービスのシステムジャーナル: 起動、停止、エラーがわかります。</translation>
    </message>
</context>
<context>
    <name>RuleTexts</name>
    <message>
        <source>E-mail addresses (role addresses such as noreply@ and systemd units like user@1000.service are kept)</source>
        <translation>メールアドレス (noreply@ などの役割アドレスや user@1000.service のような systemd ユニットは残します)</translation>
    </message>
    <message>
        <source>IPv4 addresses; keeps loopback, unspecified, broadcast, netmasks, multicast, public resolvers and version-like numbers</source>
        <translation>IPv4 アドレス。ループバック、未指定、ブロードキャスト、ネットマスク、マルチキャスト、公開リゾルバー、バージョン番号のような数値は残します</translation>
    </message>
    <message>
        <source>IPv6 addresses in every compressed form, in brackets, with zone or port; keeps ::1, :: and well-known multicast</source>
        <translation>あらゆる省略形、角かっこ付き、ゾーンやポート付きの IPv6 アドレス。::1、::、よく知られたマルチキャストは残します</translation>
    </message>
    <message>
        <source>MAC addresses in colon, dash and dotted form; keeps broadcast and all-zero</source>
        <translation>コロン、ダッシュ、ドット区切りの MAC アドレス。ブロードキャストとすべてゼロのものは残します</translation>
    </message>
    <message>
        <source>Host names in host contexts: URLs, host=/server=/Host:/Computer: values, the syslog host field, UNC paths, machine accounts, --host, &apos;connecting to X&apos;, and Bluetooth device names; keeps public vendor domains and localhost</source>
        <translation>ホストを示す文脈のホスト名: URL、host=/server=/Host:/Computer: の値、syslog のホスト欄、UNC パス、マシンアカウント、--host、&apos;connecting to X&apos;、Bluetooth デバイス名。公開されたベンダーのドメインと localhost は残します</translation>
    </message>
    <message>
        <source>User names in home paths: /home/u/, /Users/u/, C:\Users\u\</source>
        <translation>ホームパス内のユーザー名: /home/u/、/Users/u/、C:\Users\u\</translation>
    </message>
    <message>
        <source>User names in user=/login=/USER= values, DOMAIN\user, sudo/su lines, the ps owner column, --user/-u options, &apos;for u from&apos;, &apos;invalid user u&apos; log phrases and people&apos;s names in certificate subjects (CN=) and before e-mail addresses; keeps system accounts</source>
        <translation>user=/login=/USER= の値、DOMAIN\user、sudo/su の行、ps の所有者欄、--user/-u オプション、&apos;for u from&apos; や &apos;invalid user u&apos; といったログの語句に含まれるユーザー名と、証明書のサブジェクト (CN=) やメールアドレスの前に書かれた人名。システムアカウントは残します</translation>
    </message>
    <message>
        <source>user:password in URLs (scheme://user:password@host)</source>
        <translation>URL 内の user:password (scheme://user:password@host)</translation>
    </message>
    <message>
        <source>Values of token/key/signature/session/cookie parameters and settings</source>
        <translation>token/key/signature/session/cookie のパラメーターや設定の値</translation>
    </message>
    <message>
        <source>Values of password/passwd/passphrase/secret settings (key=value, key: value, JSON)</source>
        <translation>password/passwd/passphrase/secret 設定の値 (key=value、key: value、JSON)</translation>
    </message>
    <message>
        <source>Bearer and other credentials in Authorization headers</source>
        <translation>Authorization ヘッダーの Bearer などの資格情報</translation>
    </message>
    <message>
        <source>JSON Web Tokens (eyJ...eyJ...)</source>
        <translation>JSON Web トークン (eyJ...eyJ...)</translation>
    </message>
    <message>
        <source>Cloud access key ids (AKIA..., ASIA...)</source>
        <translation>クラウドのアクセスキー ID (AKIA...、ASIA...)</translation>
    </message>
    <message>
        <source>Well-known API token formats (GitHub ghp_/github_pat_, GitLab glpat-, Slack xox*-, Google AIza, Stripe sk_live_, npm_)</source>
        <translation>よく知られた API トークンの形式 (GitHub ghp_/github_pat_、GitLab glpat-、Slack xox*-、Google AIza、Stripe sk_live_、npm_)</translation>
    </message>
    <message>
        <source>Bodies of PEM/OpenSSH private-key blocks (BEGIN/END lines kept)</source>
        <translation>PEM/OpenSSH 秘密鍵ブロックの本体 (BEGIN/END の行は残します)</translation>
    </message>
    <message>
        <source>Payment card numbers (known issuer prefixes, Luhn-checked)</source>
        <translation>支払いカード番号 (既知の発行者プレフィックス、Luhn チェック済み)</translation>
    </message>
    <message>
        <source>Bank account numbers (IBAN, checked against the country&apos;s length and the mod-97 check)</source>
        <translation>銀行口座番号 (IBAN。国ごとの桁数と mod-97 チェックで確認)</translation>
    </message>
    <message>
        <source>Phone numbers in phone/tel/mobile/fax values, international +NN numbers and US (555) 010-9999 forms</source>
        <translation>phone/tel/mobile/fax の値、国際形式の +NN 番号、米国の (555) 010-9999 形式の電話番号</translation>
    </message>
    <message>
        <source>Windows account SIDs (S-1-5-21-..., S-1-12-1-...); keeps well-known SIDs</source>
        <translation>Windows アカウントの SID (S-1-5-21-...、S-1-12-1-...)。よく知られた SID は残します</translation>
    </message>
    <message>
        <source>This machine&apos;s id, machine-id/MachineGuid/InstallationID/ProductId/product_uuid values and DHCPv6 DUIDs; keeps boot, trace and request ids</source>
        <translation>このマシンの ID、machine-id/MachineGuid/InstallationID/ProductId/product_uuid の値、DHCPv6 の DUID。起動 ID、トレース ID、リクエスト ID は残します</translation>
    </message>
    <message>
        <source>Hardware serial numbers in serial/Serial Number/ID_SERIAL values; keeps placeholders</source>
        <translation>serial/Serial Number/ID_SERIAL の値に含まれるハードウェアのシリアル番号。プレースホルダーは残します</translation>
    </message>
    <message>
        <source>GPS coordinates in lat/lon/latitude/longitude/location/position/gps values</source>
        <translation>lat/lon/latitude/longitude/location/position/gps の値に含まれる GPS 座標</translation>
    </message>
    <message>
        <source>This machine&apos;s host names, wherever they occur</source>
        <translation>このマシンのホスト名 (どこに現れても)</translation>
    </message>
    <message>
        <source>This machine&apos;s DNS domains wherever they occur, and Windows domains (DOMAIN\user, Account Domain:)</source>
        <translation>このマシンの DNS ドメイン (どこに現れても) と Windows ドメイン (DOMAIN\user、Account Domain:)</translation>
    </message>
    <message>
        <source>This machine&apos;s local account names, wherever they occur</source>
        <translation>このマシンのローカルアカウント名 (どこに現れても)</translation>
    </message>
    <message>
        <source>Terms added by the profile or the user, wherever they occur</source>
        <translation>プロファイルまたはユーザーが追加した語句 (どこに現れても)</translation>
    </message>
    <message>
        <source>Wi-Fi network names (SSIDs) in ssid=/SSID: values and in wpa_supplicant, NetworkManager, iw and netsh output</source>
        <translation>ssid=/SSID: の値と、wpa_supplicant・NetworkManager・iw・netsh の出力に含まれる Wi-Fi ネットワーク名 (SSID)</translation>
    </message>
</context>
<context>
    <name>dc::cli::Admin</name>
    <message>
        <source>Treat this as a remote run (also automatic when neither stdin nor stderr is a terminal): the administrator&apos;s policy decides whether it may run.</source>
        <translation>リモート実行として扱います (標準入力も標準エラー出力も端末でないときは自動でそうなります)。実行してよいかは管理者のポリシーが決めます。</translation>
    </message>
    <message>
        <source>With --full-logs: raise the product&apos;s logging to full (profile&apos;s product.full_logging), wait SECONDS for the problem to be reproduced, collect, then restore the normal level.</source>
        <translation>--full-logs と一緒に: 製品のログを完全ログに上げ (プロファイルの product.full_logging)、問題を再現するまで SECONDS 秒待ってから収集し、通常のレベルに戻します。</translation>
    </message>
    <message>
        <source>--reproduce expects 0 to %1 seconds (the profile&apos;s max_minutes)</source>
        <translation>--reproduce には 0 から %1 秒 (プロファイルの max_minutes) を指定してください</translation>
    </message>
    <message>
        <source>full logging is on for %1; reproduce the problem now (%2 s)...</source>
        <translation>%1 の完全ログが有効です。今、問題を再現してください (%2 秒)...</translation>
    </message>
</context>
<context>
    <name>dc::cli::Analyze</name>
    <message>
        <source>Also apply the rules in FILE (repeatable).</source>
        <translation>FILE のルールも適用します (複数指定可)。</translation>
    </message>
    <message>
        <source>Also apply the rules of profile FILE (FILE&apos;s .rules.json).</source>
        <translation>プロファイル FILE のルール (FILE の .rules.json) も適用します。</translation>
    </message>
    <message>
        <source>Leave out rule ID (repeatable).</source>
        <translation>ルール ID を除外します (複数指定可)。</translation>
    </message>
    <message>
        <source>Secret key file for sealed archives.</source>
        <translation>封印済みアーカイブ用の秘密鍵ファイル。</translation>
    </message>
    <message>
        <source>Print the result as one JSON object.</source>
        <translation>結果を 1 つの JSON オブジェクトとして出力します。</translation>
    </message>
    <message>
        <source>expected %1 argument(s), got %2; see --help</source>
        <translation>引数は %1 個必要ですが、%2 個指定されました。--help を参照してください</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>情報</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>対処: %1</translation>
    </message>
    <message>
        <source>More: %1</source>
        <translation>詳細: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n matching)</source>
        <translation>
            <numerusform>%1 (%n 件が一致)</numerusform>
        </translation>
    </message>
    <message>
        <source>An archive or a staging folder.</source>
        <translation>アーカイブまたはステージングフォルダー。</translation>
    </message>
    <message>
        <source>Run the analysis rules over an archive or a staging folder and print the findings.</source>
        <translation>アーカイブまたはステージングフォルダーに分析ルールを適用し、診断結果を出力します。</translation>
    </message>
    <message>
        <source>%1 error(s), %2 warning(s), %3 info; %4 of %5 rules evaluated
</source>
        <extracomment>analyze: findings by severity, then how many rules could be evaluated.</extracomment>
        <translation>エラー %1 件、警告 %2 件、情報 %3 件。%5 個のルールのうち %4 個を評価しました
</translation>
    </message>
    <message>
        <source>
Not evaluated (their data is not in this collection): %1
</source>
        <translation>
評価しなかったルール (必要なデータがこの収集にありません): %1
</translation>
    </message>
    <message>
        <source>
Disabled by your administrator&apos;s policy (%1): %2
</source>
        <translation>
管理者のポリシー (%1) で無効にされたルール: %2
</translation>
    </message>
    <message>
        <source>The earlier archive or staging folder.</source>
        <translation>以前のアーカイブまたはステージングフォルダー。</translation>
    </message>
    <message>
        <source>The later archive or staging folder.</source>
        <translation>後のアーカイブまたはステージングフォルダー。</translation>
    </message>
    <message>
        <source>Compare two collections of one machine: items, packages, units and findings.</source>
        <translation>同じマシンの 2 つの収集を比較します: 項目、パッケージ、ユニット、診断結果。</translation>
    </message>
    <message>
        <source>Items added</source>
        <translation>追加された項目</translation>
    </message>
    <message>
        <source>Items removed</source>
        <translation>削除された項目</translation>
    </message>
    <message>
        <source>Items changed</source>
        <translation>変更された項目</translation>
    </message>
    <message>
        <source>content changed</source>
        <translation>内容が変更</translation>
    </message>
    <message>
        <source>, content changed</source>
        <translation>、内容が変更</translation>
    </message>
    <message>
        <source>Packages changed</source>
        <translation>変更されたパッケージ</translation>
    </message>
    <message>
        <source>Units changed</source>
        <translation>変更されたユニット</translation>
    </message>
    <message>
        <source>Findings appeared</source>
        <translation>新たに現れた診断結果</translation>
    </message>
    <message>
        <source>Findings cleared</source>
        <translation>解消された診断結果</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>このヘルプを表示します。</translation>
    </message>
</context>
<context>
    <name>dc::cli::Cli</name>
    <message>
        <source>collected</source>
        <translation>収集済み</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>短縮</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>エラー: %1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告: %1</translation>
    </message>
    <message>
        <source>Use the profile FILE instead of the built-in one.</source>
        <translation>組み込みのプロファイルの代わりにプロファイル FILE を使います。</translation>
    </message>
    <message>
        <source>Set profile variable NAME to VALUE (repeatable).</source>
        <translation>プロファイル変数 NAME を VALUE に設定します (複数指定可)。</translation>
    </message>
    <message>
        <source>packaging %1%</source>
        <translation>パッケージ化中 %1%</translation>
    </message>
    <message>
        <source>sent to %1; %2</source>
        <translation>%1 に送信しました。%2</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s): %1 collected, %2 truncated, %3 skipped, %4 failed; %5 staged, archive %6 in %7 s</source>
        <extracomment>The end of collect: items by status, bytes staged, the archive&apos;s size and the time it took.</extracomment>
        <translation>
            <numerusform>%n 項目: 収集済み %1、短縮 %2、スキップ %3、失敗 %4。収集したデータ %5、アーカイブ %6、%7 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n value(s) redacted; your pseudonym map (keep it, never send it): %1</source>
        <translation>
            <numerusform>%n 個の値を秘匿化しました。仮名の対応表 (保管し、決して送らないでください): %1</numerusform>
        </translation>
    </message>
    <message>
        <source>staging kept at %1</source>
        <translation>ステージングフォルダーを残しました: %1</translation>
    </message>
    <message>
        <source>Write the archive into DIR (default: the Desktop, else home).</source>
        <translation>アーカイブを DIR に書き込みます (既定: デスクトップ、なければホーム)。</translation>
    </message>
    <message>
        <source>Archive format: tar.zst (default) or zip.</source>
        <translation>アーカイブ形式: tar.zst (既定) または zip。</translation>
    </message>
    <message>
        <source>Support case ID, used in the archive name.</source>
        <translation>サポートのケース ID。アーカイブ名に使われます。</translation>
    </message>
    <message>
        <source>Leave out the non-essential item ID (repeatable).</source>
        <translation>必須でない項目 ID を除外します (複数指定可)。</translation>
    </message>
    <message>
        <source>Also collect the profile&apos;s full-log-mode items.</source>
        <translation>プロファイルの完全ログモードの項目も収集します。</translation>
    </message>
    <message>
        <source>Do not redact personal data (names, addresses, secrets). Loud, and refused by an admin policy that forbids it.</source>
        <translation>個人データ (名前、アドレス、秘密情報) を秘匿化しません。目立つ警告が出ます。禁止する管理者ポリシーがあれば拒否されます。</translation>
    </message>
    <message>
        <source>Also redact TEXT wherever it occurs (repeatable).</source>
        <translation>TEXT もすべての場所で秘匿化します (複数指定可)。</translation>
    </message>
    <message>
        <source>Extra redaction keywords and patterns from FILE (see docs/REDACTION.md).</source>
        <translation>FILE から追加の秘匿化キーワードとパターンを読み込みます (docs/REDACTION.md を参照)。</translation>
    </message>
    <message>
        <source>Also apply the analysis rules in FILE (repeatable; see docs/ANALYSIS.md). A rules file with mistakes stops before anything is collected.</source>
        <translation>FILE の分析ルールも適用します (複数指定可。docs/ANALYSIS.md を参照)。誤りのあるルールファイルでは何も収集せずに停止します。</translation>
    </message>
    <message>
        <source>Include binary files (crash dumps) with every value chosen for redaction masked in place; they are left out by default (full-log mode includes the product&apos;s own).</source>
        <translation>バイナリファイル (クラッシュダンプ) を、秘匿化する値をその場で伏せたうえで含めます。既定では除外されます (完全ログモードでは製品自身のものを含めます)。</translation>
    </message>
    <message>
        <source>Keep the staging folder after packaging (under a policy that forces redaction, only the redacted copy).</source>
        <translation>パッケージ化の後もステージングフォルダーを残します (秘匿化を強制するポリシーの下では秘匿化後のコピーだけ)。</translation>
    </message>
    <message>
        <source>Print one JSON object with the result on stdout.</source>
        <translation>結果を 1 つの JSON オブジェクトとして標準出力に出力します。</translation>
    </message>
    <message>
        <source>No progress on stderr.</source>
        <translation>標準エラー出力に進行状況を出しません。</translation>
    </message>
    <message>
        <source>Log details to stderr.</source>
        <translation>詳細なログを標準エラー出力に出します。</translation>
    </message>
    <message>
        <source>Collect diagnostics headlessly and package them into an archive.</source>
        <translation>画面なしで診断情報を収集し、アーカイブにまとめます。</translation>
    </message>
    <message>
        <source>collect takes no arguments, got &quot;%1&quot;</source>
        <translation>collect は引数を取りませんが、&quot;%1&quot; が指定されました</translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot; (expected tar.zst or zip)</source>
        <translation>不明な形式 &quot;%1&quot; です (tar.zst または zip を指定してください)</translation>
    </message>
    <message>
        <source>--reproduce needs --full-logs</source>
        <translation>--reproduce には --full-logs が必要です</translation>
    </message>
    <message>
        <source>WARNING: --no-redact: personal data (user and host names, addresses, secrets) will be in the archive as collected.</source>
        <translation>警告: --no-redact: 個人データ (ユーザー名とホスト名、アドレス、秘密情報) が収集したままアーカイブに入ります。</translation>
    </message>
    <message>
        <source>Print the items as JSON.</source>
        <translation>項目を JSON で出力します。</translation>
    </message>
    <message>
        <source>Also show the expected size per category.</source>
        <translation>カテゴリーごとの予想サイズも表示します。</translation>
    </message>
    <message>
        <source>List the items of every platform, not only this one.</source>
        <translation>このプラットフォームだけでなく、すべてのプラットフォームの項目を一覧表示します。</translation>
    </message>
    <message>
        <source>Include the full-log-mode items.</source>
        <translation>完全ログモードの項目も含めます。</translation>
    </message>
    <message>
        <source>List what would be collected on this platform; collects nothing.</source>
        <translation>このプラットフォームで収集される内容を一覧表示します。何も収集しません。</translation>
    </message>
    <message>
        <source>The archive to check.</source>
        <translation>確認するアーカイブ。</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>結果を JSON で出力します。</translation>
    </message>
    <message>
        <source>Check every entry of an archive against its manifest.json.</source>
        <translation>アーカイブのすべてのエントリーを manifest.json と照合します。</translation>
    </message>
    <message>
        <source>verify takes exactly one archive</source>
        <translation>verify にはアーカイブを 1 つだけ指定してください</translation>
    </message>
    <message numerus="yes">
        <source>intact: %n entries match manifest.json</source>
        <translation>
            <numerusform>問題なし: %n 個のエントリーが manifest.json と一致します</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the archive does not match its manifest (%n problem(s))</source>
        <translation>
            <numerusform>アーカイブがマニフェストと一致しません (問題 %n 件)</numerusform>
        </translation>
    </message>
    <message>
        <source>A staging folder kept with --keep-staging.</source>
        <translation>--keep-staging で残したステージングフォルダー。</translation>
    </message>
    <message>
        <source>Write the archive into DIR.</source>
        <translation>アーカイブを DIR に書き込みます。</translation>
    </message>
    <message>
        <source>tar.zst (default) or zip.</source>
        <translation>tar.zst (既定) または zip。</translation>
    </message>
    <message>
        <source>Also apply the analysis rules in FILE (repeatable).</source>
        <translation>FILE の分析ルールも適用します (複数指定可)。</translation>
    </message>
    <message>
        <source>Apply the analysis rules of profile FILE (FILE&apos;s .rules.json); default: the profile the folder was collected with, when its file is there.</source>
        <translation>プロファイル FILE の分析ルール (FILE の .rules.json) を適用します。既定: フォルダーを収集したときのプロファイル (そのファイルがあれば)。</translation>
    </message>
    <message>
        <source>Package a staging folder again after editing it by hand. Edited and removed files are recorded in the manifest. The administrator&apos;s policy applies as in collect: redacted again under force_redaction, sealed under require_sealing.</source>
        <translation>手で編集したステージングフォルダーをもう一度パッケージ化します。編集・削除したファイルはマニフェストに記録されます。管理者のポリシーは collect と同じく適用されます: force_redaction では再び秘匿化し、require_sealing では封印します。</translation>
    </message>
    <message>
        <source>pack takes exactly one staging folder</source>
        <translation>pack にはステージングフォルダーを 1 つだけ指定してください</translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot;</source>
        <translation>不明な形式 &quot;%1&quot; です</translation>
    </message>
    <message>
        <source>List the built-in probes a profile can use.</source>
        <translation>プロファイルが使える組み込みのプローブを一覧表示します。</translation>
    </message>
    <message>
        <source>collect diagnostics and package them (headless)</source>
        <translation>診断情報を収集してパッケージ化する (画面なし)</translation>
    </message>
    <message>
        <source>list what would be collected, with purposes</source>
        <translation>収集される内容を目的とともに一覧表示する</translation>
    </message>
    <message>
        <source>check an archive against its manifest</source>
        <translation>アーカイブをマニフェストと照合する</translation>
    </message>
    <message>
        <source>package a kept staging folder after editing it</source>
        <translation>残したステージングフォルダーを編集後にパッケージ化する</translation>
    </message>
    <message>
        <source>list the built-in probes</source>
        <translation>組み込みのプローブを一覧表示する</translation>
    </message>
    <message>
        <source>redact one file with the built-in rules and the policy&apos;s</source>
        <translation>組み込みのルールとポリシーのルールで 1 つのファイルを秘匿化する</translation>
    </message>
    <message>
        <source>list the redaction rules</source>
        <translation>秘匿化ルールを一覧表示する</translation>
    </message>
    <message>
        <source>send an archive to support over HTTPS (resumable)</source>
        <translation>アーカイブを HTTPS でサポートに送る (再開可能)</translation>
    </message>
    <message>
        <source>create a key pair for sealed archives (support side)</source>
        <translation>封印済みアーカイブ用の鍵ペアを作る (サポート側)</translation>
    </message>
    <message>
        <source>seal an archive to support&apos;s public key</source>
        <translation>アーカイブをサポートの公開鍵で封印する</translation>
    </message>
    <message>
        <source>decrypt a sealed archive with the secret key</source>
        <translation>封印済みアーカイブを秘密鍵で復号する</translation>
    </message>
    <message>
        <source>list what looks wrong in an archive or staging folder</source>
        <translation>アーカイブやステージングフォルダーで問題がありそうな点を一覧表示する</translation>
    </message>
    <message>
        <source>compare two archives of one machine</source>
        <translation>同じマシンの 2 つのアーカイブを比較する</translation>
    </message>
    <message>
        <source>raise the product&apos;s logging to full, or restore it (on|off|status)</source>
        <translation>製品のログを完全ログに上げる、または元に戻す (on|off|status)</translation>
    </message>
    <message>
        <source>show the administrator&apos;s policy in effect</source>
        <translation>有効な管理者のポリシーを表示する</translation>
    </message>
    <message>
        <source>Usage: diagcollect [COMMAND] [OPTIONS]

Diagnostics Collector gathers a product&apos;s service logs, the operating system&apos;s configuration,
system logs, event history and crash dumps into an archive for support. Started without a
command it opens the desktop wizard.

Commands:
</source>
        <translation>使い方: diagcollect [コマンド] [オプション]

Diagnostics Collector は、製品のサービスログ、オペレーティングシステムの設定、
システムログ、イベント履歴、クラッシュダンプをサポート向けのアーカイブにまとめます。
コマンドなしで起動するとデスクトップのウィザードを開きます。

コマンド:
</translation>
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
        <translation>
コマンドのオプションは &apos;diagcollect コマンド --help&apos; で表示されます。

共通オプション: --policy FILE は FILE を管理者のポリシーとして使います (ポリシーの試験用)。
--lang en|ja は人が読む出力の言語を設定します (既定: システムの言語。
JSON 出力は常に英語です)。

終了コード: 0 成功、1 失敗、2 使い方・プロファイル・ポリシーの誤り、3 管理者の
ポリシーによる拒否、4 保存したが未送信、130 キャンセル。
</translation>
    </message>
    <message>
        <source>no command given</source>
        <translation>コマンドが指定されていません</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation>不明なコマンド &quot;%1&quot; です</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>このヘルプを表示します。</translation>
    </message>
</context>
<context>
    <name>dc::cli::List</name>
    <message numerus="yes">
        <source>Profile &quot;%1&quot;: %n item(s)</source>
        <translation>
            <numerusform>プロファイル「%1」: %n 項目</numerusform>
        </translation>
    </message>
    <message>
        <source>, about %1</source>
        <translation>、約 %1</translation>
    </message>
    <message>
        <source>essential</source>
        <translation>必須</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>full logs only</source>
        <translation>完全ログ時のみ</translation>
    </message>
    <message>
        <source>needs admin</source>
        <translation>管理者権限が必要</translation>
    </message>
    <message>
        <source>  %1  %2 [%3]
      %4
</source>
        <extracomment>An item of `diagcollect list`: its id, its title, its flags and, on the next line, its purpose.</extracomment>
        <translation>  %1  %2 [%3]
      %4
</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>dc::cli::Output</name>
    <message>
        <source>warning: %1</source>
        <translation>警告: %1</translation>
    </message>
    <message>
        <source>Try &apos;diagcollect --help&apos;.</source>
        <translation>&apos;diagcollect --help&apos; を試してください。</translation>
    </message>
</context>
<context>
    <name>dc::cli::RedactCommands</name>
    <message>
        <source>Show this help.</source>
        <translation>このヘルプを表示します。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>予期しない引数: %1</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>エラー: %1</translation>
    </message>
    <message>
        <source>Redact one file: personal data and secrets become pseudonyms.</source>
        <translation>1 つのファイルを秘匿化します: 個人データと秘密情報が仮名になります。</translation>
    </message>
    <message>
        <source>Input file (plain or .gz/.xz/.zst/.bz2).</source>
        <translation>入力ファイル (非圧縮、または .gz/.xz/.zst/.bz2)。</translation>
    </message>
    <message>
        <source>Output file (always uncompressed).</source>
        <translation>出力ファイル (常に非圧縮)。</translation>
    </message>
    <message>
        <source>Extra rules: JSON with &quot;keywords&quot;, &quot;patterns&quot;, &quot;disable&quot;.</source>
        <translation>追加のルール: &quot;keywords&quot;、&quot;patterns&quot;、&quot;disable&quot; を持つ JSON。</translation>
    </message>
    <message>
        <source>Pseudonym map (value -&gt; token) to continue and write, mode 0600.</source>
        <translation>引き継いで書き込む仮名の対応表 (値 -&gt; トークン)、モード 0600。</translation>
    </message>
    <message>
        <source>redact needs --in FILE and --out FILE.</source>
        <translation>redact には --in FILE と --out FILE が必要です。</translation>
    </message>
    <message>
        <source>--in and --out must be different files.</source>
        <translation>--in と --out には別のファイルを指定してください。</translation>
    </message>
    <message>
        <source>error: %1 is binary and cannot be redacted as text; nothing written.</source>
        <translation>エラー: %1 はバイナリのため、テキストとして秘匿化できません。何も書き込んでいません。</translation>
    </message>
    <message>
        <source>Redacted %1 values in %2 lines</source>
        <translation>%2 行の中で %1 個の値を秘匿化しました</translation>
    </message>
    <message>
        <source>List the redaction rules.</source>
        <translation>秘匿化ルールを一覧表示します。</translation>
    </message>
    <message>
        <source>Print JSON (ids and keys are never translated).</source>
        <translation>JSON で出力します (ID とキーは翻訳されません)。</translation>
    </message>
</context>
<context>
    <name>dc::cli::Upload</name>
    <message>
        <source>uploading %1% (%2 of %3)</source>
        <translation>アップロード中 %1% (%3 のうち %2)</translation>
    </message>
    <message>
        <source>upload: %1% (%2 of %3) after %4 s</source>
        <translation>アップロード: %1% (%3 のうち %2)、%4 秒経過</translation>
    </message>
    <message>
        <source>upload: %1</source>
        <translation>アップロード: %1</translation>
    </message>
    <message>
        <source>The archive to send.</source>
        <translation>送るアーカイブ。</translation>
    </message>
    <message>
        <source>https:// URL to PUT the archive to; the file name is appended unless the URL contains {file}; {case} is replaced by the case ID. Default: the profile&apos;s upload.url.</source>
        <translation>アーカイブを PUT する https:// の URL。URL に {file} がなければファイル名が末尾に付きます。{case} はケース ID に置き換えられます。既定: プロファイルの upload.url。</translation>
    </message>
    <message>
        <source>Support case ID, sent as a header and used for {case}.</source>
        <translation>サポートのケース ID。ヘッダーとして送られ、{case} に使われます。</translation>
    </message>
    <message>
        <source>Read the bearer token from the environment variable VAR (never from the command line).</source>
        <translation>ベアラートークンを環境変数 VAR から読み込みます (コマンドラインからは読みません)。</translation>
    </message>
    <message>
        <source>Also trust the CA certificates in the PEM file FILE.</source>
        <translation>PEM ファイル FILE の CA 証明書も信頼します。</translation>
    </message>
    <message>
        <source>Require the server&apos;s public key to have this SHA-256 (of its SubjectPublicKeyInfo; hex or base64).</source>
        <translation>サーバーの公開鍵がこの SHA-256 (SubjectPublicKeyInfo の値。16 進数または base64) を持つことを求めます。</translation>
    </message>
    <message>
        <source>Resumable chunk size in bytes (default 8388608); 0 sends one whole PUT.</source>
        <translation>再開可能なチャンクのサイズ (バイト、既定 8388608)。0 では 1 回の PUT で全体を送ります。</translation>
    </message>
    <message>
        <source>Take upload settings from the profile FILE.</source>
        <translation>アップロードの設定をプロファイル FILE から取ります。</translation>
    </message>
    <message>
        <source>Print one JSON object with the result on stdout.</source>
        <translation>結果を 1 つの JSON オブジェクトとして標準出力に出力します。</translation>
    </message>
    <message>
        <source>No progress on stderr.</source>
        <translation>標準エラー出力に進行状況を出しません。</translation>
    </message>
    <message>
        <source>Log details to stderr.</source>
        <translation>詳細なログを標準エラー出力に出します。</translation>
    </message>
    <message>
        <source>Send an archive to support over HTTPS (resumable, verified).</source>
        <translation>アーカイブを HTTPS でサポートに送ります (再開可能、送信後に確認)。</translation>
    </message>
    <message>
        <source>upload takes exactly one archive</source>
        <translation>upload にはアーカイブを 1 つだけ指定してください</translation>
    </message>
    <message>
        <source>upload needs --url (or a profile with upload.url)</source>
        <translation>upload には --url (または upload.url を持つプロファイル) が必要です</translation>
    </message>
    <message>
        <source>--chunk-bytes expects a number of bytes</source>
        <translation>--chunk-bytes にはバイト数を指定してください</translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation>%1 はファイルではありません</translation>
    </message>
    <message>
        <source>sent %1 (%2) to %3; %4</source>
        <translation>%1 (%2) を %3 に送信しました。%4</translation>
    </message>
    <message>
        <source>Seal the archive to the profile&apos;s seal.public_key (always on when the profile sets seal.required).</source>
        <translation>アーカイブをプロファイルの seal.public_key で封印します (プロファイルが seal.required を設定していれば常に有効)。</translation>
    </message>
    <message>
        <source>After packaging, send the archive to the https:// URL (other upload settings from the profile).</source>
        <translation>パッケージ化の後、アーカイブを https:// の URL に送ります (他のアップロード設定はプロファイルから)。</translation>
    </message>
    <message>
        <source>With --upload: bearer token from the environment variable VAR.</source>
        <translation>--upload と一緒に: ベアラートークンを環境変数 VAR から読み込みます。</translation>
    </message>
    <message>
        <source>With --upload: also trust the CAs in FILE.</source>
        <translation>--upload と一緒に: FILE の CA も信頼します。</translation>
    </message>
    <message>
        <source>With --upload: required SHA-256 of the server&apos;s public key.</source>
        <translation>--upload と一緒に: サーバーの公開鍵に求める SHA-256。</translation>
    </message>
    <message>
        <source>Remove this tool&apos;s archives older than N days from the output folder (default: the profile&apos;s retention_days, 14; 0 keeps all).</source>
        <translation>出力フォルダーから N 日より古いこのツールのアーカイブを削除します (既定: プロファイルの retention_days、14。0 ではすべて残します)。</translation>
    </message>
    <message>
        <source>--retention-days expects a number of days</source>
        <translation>--retention-days には日数を指定してください</translation>
    </message>
    <message>
        <source>Write the secret key to FILE (created with mode 0600).</source>
        <translation>秘密鍵を FILE に書き込みます (モード 0600 で作成)。</translation>
    </message>
    <message>
        <source>Also write the public key to FILE.</source>
        <translation>公開鍵も FILE に書き込みます。</translation>
    </message>
    <message>
        <source>Print the public key and key id as JSON.</source>
        <translation>公開鍵と鍵 ID を JSON で出力します。</translation>
    </message>
    <message>
        <source>Create a key pair for sealed archives (support side). Put the printed public key into the profile&apos;s seal.public_key.</source>
        <translation>封印済みアーカイブ用の鍵ペアを作ります (サポート側)。表示された公開鍵をプロファイルの seal.public_key に設定してください。</translation>
    </message>
    <message>
        <source>keygen takes no arguments</source>
        <translation>keygen は引数を取りません</translation>
    </message>
    <message>
        <source>keygen needs --out FILE for the secret key</source>
        <translation>keygen には秘密鍵を書き込む --out FILE が必要です</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>secret key written to %1 (keep it private); key id %2
public key:
</source>
        <translation>秘密鍵を %1 に書き込みました (他人に見せないでください)。鍵 ID %2
公開鍵:
</translation>
    </message>
    <message>
        <source>The archive to seal.</source>
        <translation>封印するアーカイブ。</translation>
    </message>
    <message>
        <source>Support&apos;s public key (base64 or hex, from keygen).</source>
        <translation>サポートの公開鍵 (base64 または 16 進数。keygen で作成)。</translation>
    </message>
    <message>
        <source>Keep the unsealed archive.</source>
        <translation>封印前のアーカイブを残します。</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>結果を JSON で出力します。</translation>
    </message>
    <message>
        <source>Seal an archive to support&apos;s public key into ARCHIVE.sealed; the unsealed archive is removed once that succeeded, never on a failure.</source>
        <translation>アーカイブをサポートの公開鍵で ARCHIVE.sealed に封印します。封印前のアーカイブは成功したときだけ削除され、失敗したときは削除されません。</translation>
    </message>
    <message>
        <source>seal takes exactly one archive</source>
        <translation>seal にはアーカイブを 1 つだけ指定してください</translation>
    </message>
    <message>
        <source>--public-key expects a 32-byte key in base64 or hex</source>
        <translation>--public-key には base64 または 16 進数の 32 バイトの鍵を指定してください</translation>
    </message>
    <message>
        <source>The sealed archive (*.sealed).</source>
        <translation>封印済みアーカイブ (*.sealed)。</translation>
    </message>
    <message>
        <source>The secret key file written by keygen.</source>
        <translation>keygen が書き込んだ秘密鍵ファイル。</translation>
    </message>
    <message>
        <source>Write the archive to FILE (default: the name without .sealed).</source>
        <translation>アーカイブを FILE に書き込みます (既定: .sealed を除いた名前)。</translation>
    </message>
    <message>
        <source>Decrypt a sealed archive with support&apos;s secret key. A modified, truncated or foreign file is refused and nothing is written.</source>
        <translation>封印済みアーカイブをサポートの秘密鍵で復号します。改変された、途中で切れた、または別の鍵向けのファイルは拒否され、何も書き込まれません。</translation>
    </message>
    <message>
        <source>unseal takes exactly one sealed archive</source>
        <translation>unseal には封印済みアーカイブを 1 つだけ指定してください</translation>
    </message>
    <message>
        <source>unseal needs --key FILE</source>
        <translation>unseal には --key FILE が必要です</translation>
    </message>
    <message>
        <source>give --out FILE (the archive name does not end in .sealed)</source>
        <translation>--out FILE を指定してください (アーカイブ名が .sealed で終わっていません)</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>このヘルプを表示します。</translation>
    </message>
</context>
<context>
    <name>dc::core::CollectionJob</name>
    <message>
        <source>your administrator&apos;s policy (%1)</source>
        <translation>管理者のポリシー (%1)</translation>
    </message>
    <message>
        <source>cancelled; nothing was written</source>
        <translation>キャンセルしました。何も書き込まれていません</translation>
    </message>
    <message>
        <source>remote runs are not allowed by your administrator&apos;s policy (%1: allow_remote_runs is false); run diagcollect at the machine itself, from a terminal or the desktop wizard</source>
        <translation>管理者のポリシーはリモートからの実行を許可していません (%1: allow_remote_runs が false)。このコンピューターの前で、端末かデスクトップのウィザードから diagcollect を実行してください</translation>
    </message>
    <message>
        <source>--upload: %1 does not allow uploading</source>
        <translation>--upload: %1 は送信を許可していません</translation>
    </message>
    <message>
        <source>--upload: %1 sends archives only to %2</source>
        <translation>--upload: %1 により、アーカイブの送信先は %2 だけです</translation>
    </message>
    <message>
        <source>--retention-days: %1 sets retention to %2 days</source>
        <translation>--retention-days: %1 により、保存期間は %2 日に決められています</translation>
    </message>
    <message>
        <source>--skip: the profile has no item &quot;%1&quot;</source>
        <translation>--skip: プロファイルに項目「%1」はありません</translation>
    </message>
    <message>
        <source>--skip: &quot;%1&quot; is essential and cannot be left out</source>
        <translation>--skip: 「%1」は必須のため除外できません</translation>
    </message>
    <message>
        <source>--seal needs a profile with seal.public_key</source>
        <translation>--seal には seal.public_key のあるプロファイルが必要です</translation>
    </message>
    <message>
        <source>--retention-days expects a number of days</source>
        <translation>--retention-days には日数を指定してください</translation>
    </message>
    <message>
        <source>full-log mode is not allowed by your administrator&apos;s policy (%1)</source>
        <translation>管理者のポリシーは完全ログモードを許可していません (%1)</translation>
    </message>
    <message>
        <source>a collection is already under way</source>
        <translation>収集はすでに実行中です</translation>
    </message>
    <message>
        <source>findings.json could not be written: %1</source>
        <translation>findings.json を書き込めませんでした: %1</translation>
    </message>
    <message>
        <source>the pseudonym map could not be saved: %1</source>
        <translation>仮名の対応表を保存できませんでした: %1</translation>
    </message>
    <message>
        <source>the consent receipt could not be written: %1</source>
        <translation>同意の記録を書き込めませんでした: %1</translation>
    </message>
</context>
<context>
    <name>dc::core::LeakChecker</name>
    <message>
        <source>Cannot read %1 for the leak check: %2</source>
        <translation>漏えい検査のために %1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>Cannot open %1 for the leak check: %2</source>
        <translation>漏えい検査のために %1 を開けません: %2</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>Cannot mask every chosen value in %1.</source>
        <translation>%1 で、選んだ値をすべて伏せることができません。</translation>
    </message>
</context>
<context>
    <name>dc::core::PseudonymMap</name>
    <message>
        <source>Pseudonym map is not a JSON object: %1</source>
        <translation>仮名の対応表が JSON オブジェクトではありません: %1</translation>
    </message>
    <message>
        <source>Pseudonym map has an unknown format version.</source>
        <translation>仮名の対応表の形式バージョンが不明です。</translation>
    </message>
    <message>
        <source>Pseudonym map entry has a malformed token.</source>
        <translation>仮名の対応表に不正なトークンがあります。</translation>
    </message>
    <message>
        <source>Cannot write pseudonym map %1: %2</source>
        <translation>仮名の対応表 %1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>Cannot read pseudonym map %1: %2</source>
        <translation>仮名の対応表 %1 を読み取れません: %2</translation>
    </message>
</context>
<context>
    <name>dc::core::Redaction</name>
    <message>
        <source>decompressed content cut at %1 MiB, %2 times its compressed size (a decompression bomb?)</source>
        <translation>展開後の内容を %1 MiB (圧縮サイズの %2 倍) で打ち切りました (展開爆弾の可能性)</translation>
    </message>
    <message>
        <source>decompressed content cut at %1 MiB</source>
        <translation>展開後の内容を %1 MiB で打ち切りました</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>Cannot decompress %1: %2</source>
        <translation>%1 を展開できません: %2</translation>
    </message>
    <message>
        <source>contains NUL bytes (binary data)</source>
        <translation>NUL バイトを含みます(バイナリデータ)</translation>
    </message>
    <message>
        <source>mostly control bytes (binary data)</source>
        <translation>ほとんどが制御文字です(バイナリデータ)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>中止しました。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>dc::core::RedactionRules</name>
    <message>
        <source>Pattern id &quot;%1&quot; must be lower-case kebab-case (a-z, 0-9, -).</source>
        <translation>パターン ID &quot;%1&quot; は小文字のケバブケース(a-z、0-9、-)にしてください。</translation>
    </message>
    <message>
        <source>Pattern id &quot;%1&quot; is the id of a built-in rule.</source>
        <translation>パターン ID &quot;%1&quot; は組み込みルールの ID です。</translation>
    </message>
    <message>
        <source>Pattern id &quot;%1&quot; is used twice.</source>
        <translation>パターン ID &quot;%1&quot; が 2 回使われています。</translation>
    </message>
    <message>
        <source>Pattern &quot;%1&quot; does not compile: %2 at offset %3.</source>
        <translation>パターン &quot;%1&quot; をコンパイルできません: 位置 %3 で %2。</translation>
    </message>
    <message>
        <source>Pattern &quot;%1&quot; matches the empty string.</source>
        <translation>パターン &quot;%1&quot; は空文字列に一致します。</translation>
    </message>
    <message>
        <source>Rules file is not valid JSON: %1 at offset %2.</source>
        <translation>ルールファイルが正しい JSON ではありません: 位置 %2 で %1。</translation>
    </message>
    <message>
        <source>Rules file must hold a JSON object.</source>
        <translation>ルールファイルには JSON オブジェクトが必要です。</translation>
    </message>
    <message>
        <source>Rules file: unknown key &quot;%1&quot;.</source>
        <translation>ルールファイル: 不明なキー &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>Rules file: &quot;keywords&quot; must be an array of strings.</source>
        <translation>ルールファイル: &quot;keywords&quot; は文字列の配列にしてください。</translation>
    </message>
    <message>
        <source>Rules file: &quot;patterns&quot; must be an array of objects.</source>
        <translation>ルールファイル: &quot;patterns&quot; はオブジェクトの配列にしてください。</translation>
    </message>
    <message>
        <source>Rules file: every pattern needs a string &quot;id&quot; and a string &quot;regex&quot;.</source>
        <translation>ルールファイル: 各パターンには文字列の &quot;id&quot; と &quot;regex&quot; が必要です。</translation>
    </message>
    <message>
        <source>Rules file: &quot;disable&quot; must be an array of rule ids.</source>
        <translation>ルールファイル: &quot;disable&quot; はルール ID の配列にしてください。</translation>
    </message>
    <message>
        <source>Rules file: &quot;disable&quot; names an unknown rule.</source>
        <translation>ルールファイル: &quot;disable&quot; に不明なルールが指定されています。</translation>
    </message>
    <message>
        <source>Cannot read rules file %1: %2</source>
        <translation>ルールファイル %1 を読み取れません: %2</translation>
    </message>
</context>
<context>
    <name>dc::core::StagingRedactor</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>中止しました。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>binary data (the profile marks this item as not redactable)</source>
        <translation>バイナリデータ(プロファイルでこの項目は秘匿化対象外とされています)</translation>
    </message>
    <message>
        <source>Cannot create a folder for %1.</source>
        <translation>%1 のフォルダーを作成できません。</translation>
    </message>
    <message>
        <source>The leak check found a value of the rule &quot;%1&quot; (%2) in %3 at byte %4 (%5 occurrences in all); no archive was written.</source>
        <translation>漏えい検査で、ルール「%1」の値 (%2) が %3 の %4 バイト目に見つかりました (全部で %5 か所)。アーカイブは作成されていません。</translation>
    </message>
    <message>
        <source>(no token)</source>
        <translation>(仮名なし)</translation>
    </message>
</context>
<context>
    <name>dc::gui::AboutDialog</name>
    <message>
        <source>About Diagnostics Collector</source>
        <translation>Diagnostics Collector について</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Diagnostics Collector %1&lt;/h2&gt;&lt;p&gt;Gathers what support needs to solve a case, and nothing more: you review and redact everything before it is packaged, and nothing is sent without your confirmation.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Diagnostics Collector %1&lt;/h2&gt;&lt;p&gt;サポートが問題の解決に必要とする情報だけを集めます。まとめる前にすべてを確認・秘匿化でき、あなたの確認なしに送信されることはありません。&lt;/p&gt;&lt;p&gt;GNU General Public License バージョン 3 以降の下で提供されます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>It is built with these libraries:</source>
        <translation>次のライブラリを使用しています:</translation>
    </message>
    <message>
        <source>Libraries and licences</source>
        <translation>ライブラリとライセンス</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>ライブラリ</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
</context>
<context>
    <name>dc::gui::CategoryChart</name>
    <message>
        <source>Archive contents by category</source>
        <translation>カテゴリ別のアーカイブの内容</translation>
    </message>
    <message>
        <source>%1: %2 included, %3 left out</source>
        <translation>%1: %2 を含む、%3 を除外</translation>
    </message>
    <message>
        <source>%1 (%2 left out)</source>
        <translation>%1(%2 を除外)</translation>
    </message>
</context>
<context>
    <name>dc::gui::ChoosePage</name>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Untick what you do not want to share. Items marked &quot;required&quot; are needed for any support case and stay on. Select an item to see why support needs it.</source>
        <translation>共有したくない項目のチェックを外してください。「必須」の項目はどのサポート案件にも必要なため、外せません。項目を選ぶと、サポートがそれを必要とする理由が表示されます。</translation>
    </message>
    <message>
        <source>Items to collect</source>
        <translation>収集する項目</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Estimated size</source>
        <translation>推定サイズ</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>すべて選択(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Required only</source>
        <translation>必須のみ(&amp;R)</translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation>%1(必須)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n item(s) selected</source>
        <translation>
            <numerusform>%n 項目中 %1 項目を選択</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n item(s) selected, about %2 before compression</source>
        <translation>
            <numerusform>%n 項目中 %1 項目を選択、圧縮前で約 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Why support needs it: %2&lt;br&gt;&lt;span style=&quot;color: gray&quot;&gt;Source: %3&lt;/span&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;サポートが必要とする理由: %2&lt;br&gt;&lt;span style=&quot;color: gray&quot;&gt;収集元: %3&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>選択</translation>
    </message>
    <message>
        <source>&amp;Start collecting</source>
        <translation>収集を開始(&amp;S)</translation>
    </message>
    <message>
        <source>%1 (disabled by your administrator&apos;s policy)</source>
        <translation>%1 (管理者のポリシーで無効)</translation>
    </message>
    <message>
        <source>%1 (full logs only)</source>
        <translation>%1 (フルログのみ)</translation>
    </message>
    <message>
        <source>Items shown greyed out are disabled by your administrator&apos;s policy and are not collected. %1</source>
        <translation>灰色で表示された項目は管理者のポリシーで無効にされており、収集されません。%1</translation>
    </message>
    <message>
        <source>Not collected: disabled by your administrator&apos;s policy. %1</source>
        <translation>収集しません: 管理者のポリシーで無効にされています。%1</translation>
    </message>
    <message>
        <source>Measured on this computer</source>
        <translation>このコンピューターで測定したサイズ</translation>
    </message>
</context>
<context>
    <name>dc::gui::CollectPage</name>
    <message>
        <source>Collected</source>
        <translation>収集済み</translation>
    </message>
    <message>
        <source>Collected (shortened)</source>
        <translation>収集済み(短縮)</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Collection progress</source>
        <translation>収集の進行状況</translation>
    </message>
    <message>
        <source>%v of %m items</source>
        <translation>%m 項目中 %v 項目</translation>
    </message>
    <message>
        <source>Looking for personal data:</source>
        <translation>個人データの検索:</translation>
    </message>
    <message>
        <source>Progress of the search for personal data</source>
        <translation>個人データ検索の進行状況</translation>
    </message>
    <message>
        <source>Items and their status</source>
        <translation>項目とその状態</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>&amp;Cancel collection</source>
        <translation>収集を中止(&amp;C)</translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>中止しています...</translation>
    </message>
    <message>
        <source>Done. Review what was collected before anything is packaged.</source>
        <translation>完了しました。まとめる前に、収集した内容を確認してください。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>中止しました。</translation>
    </message>
    <message>
        <source>The collection was cancelled and everything it had gathered was deleted. Go back to start again.</source>
        <translation>収集を中止し、それまでに集めたものはすべて削除しました。やり直すには「戻る」を押してください。</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Starting...</source>
        <translation>開始しています...</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>Collecting: %1</source>
        <translation>収集中: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) collected</source>
        <translation>
            <numerusform>%n 項目を収集</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n 項目をスキップ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n 項目が失敗</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking for personal data and secrets in what was collected...</source>
        <translation>収集したデータから個人データと機密情報を探しています...</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>経過時間 %1</translation>
    </message>
    <message>
        <source>Running, %1 s</source>
        <translation>実行中、%1 秒</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>収集</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>確認へ(&amp;R)</translation>
    </message>
    <message>
        <source>Full logging is on while collecting; the normal level is restored as soon as the collection ends.</source>
        <translation>収集中はフルログがオンです。収集が終わるとすぐに通常のレベルに戻します。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>キャンセル済み</translation>
    </message>
</context>
<context>
    <name>dc::gui::FindingsPage</name>
    <message>
        <source>Findings</source>
        <translation>診断結果</translation>
    </message>
    <message>
        <source>&amp;Continue to review</source>
        <translation>確認へ進む(&amp;C)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>重要度</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>検出内容</translation>
    </message>
    <message>
        <source>&amp;Show in the review</source>
        <translation>確認画面で表示(&amp;S)</translation>
    </message>
    <message>
        <source>Opens the file this finding was seen in, at the line, in the review&apos;s viewer.</source>
        <translation>この検出内容が見つかったファイルを、確認画面のビューアーで該当する行から開きます。</translation>
    </message>
    <message>
        <source>Looking for known problems in what was collected...</source>
        <translation>収集したデータに既知の問題がないか調べています...</translation>
    </message>
    <message>
        <source>What was collected could not be checked for known problems.</source>
        <translation>収集したデータの既知の問題を調べられませんでした。</translation>
    </message>
    <message numerus="yes">
        <source>Nothing looks wrong: %n check(s) looked at what was collected and found no problem.</source>
        <translation>
            <numerusform>問題は見つかりませんでした。%n 件のチェックで収集したデータを調べ、問題はありませんでした。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>エラー %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>警告 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>情報 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Found in what was collected: %1. Support sees the same findings in the archive. Select one to see why it matters and what to do.</source>
        <extracomment>%1: &quot;1 error, 2 warnings&quot;</extracomment>
        <translation>収集したデータで見つかったもの: %1。サポートもアーカイブで同じ内容を確認します。項目を選ぶと、その理由と対処方法が表示されます。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) did not run because their data was not collected.</source>
        <translation>
            <numerusform>%n 件のチェックは、対象のデータが収集されなかったため実行されませんでした。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) turned off by your administrator&apos;s policy.</source>
        <translation>
            <numerusform>%n 件のチェックは管理者のポリシーによりオフになっています。</numerusform>
        </translation>
    </message>
    <message>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>情報</translation>
    </message>
    <message>
        <source>What to do:</source>
        <translation>対処方法:</translation>
    </message>
    <message>
        <source>More information: %1</source>
        <translation>詳しい情報: %1</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>根拠</translation>
    </message>
    <message>
        <source>Checked on this computer while collecting (not in a file).</source>
        <translation>収集中にこのコンピューターで確認しました(ファイルではありません)。</translation>
    </message>
    <message numerus="yes">
        <source>%n matching line(s)</source>
        <translation>
            <numerusform>該当する行 %n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dc::gui::FinishPage</name>
    <message>
        <source>The reviewed files are redacted, packaged and checked once more: no value you chose to hide may be in the archive. Nothing leaves this computer unless you send it.</source>
        <translation>確認したファイルを秘匿化してまとめ、もう一度検査します。隠すと決めた値がアーカイブに残ることはありません。あなたが送信しない限り、何もこのコンピューターから出ていきません。</translation>
    </message>
    <message>
        <source>Save the archive</source>
        <translation>アーカイブの保存</translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation>フォルダー(&amp;O):</translation>
    </message>
    <message>
        <source>Folder for the archive</source>
        <translation>アーカイブの保存先フォルダー</translation>
    </message>
    <message>
        <source>&amp;Browse...</source>
        <translation>参照(&amp;B)...</translation>
    </message>
    <message>
        <source>Create &amp;archive</source>
        <translation>アーカイブを作成(&amp;A)</translation>
    </message>
    <message>
        <source>Packaging progress</source>
        <translation>まとめる処理の進行状況</translation>
    </message>
    <message>
        <source>Your archive</source>
        <translation>作成したアーカイブ</translation>
    </message>
    <message>
        <source>Archive path</source>
        <translation>アーカイブのパス</translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation>アーカイブ:</translation>
    </message>
    <message>
        <source>SHA-256 of the archive</source>
        <translation>アーカイブの SHA-256</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Show in fol&amp;der</source>
        <translation>フォルダーで表示(&amp;D)</translation>
    </message>
    <message>
        <source>Copy &amp;path</source>
        <translation>パスをコピー(&amp;P)</translation>
    </message>
    <message>
        <source>Pseudonym map:</source>
        <translation>仮名の対応表:</translation>
    </message>
    <message>
        <source>Receipt:</source>
        <translation>記録:</translation>
    </message>
    <message>
        <source>Send to support</source>
        <translation>サポートに送信</translation>
    </message>
    <message>
        <source>&amp;Send to support</source>
        <translation>サポートに送信(&amp;S)</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>送信の進行状況</translation>
    </message>
    <message>
        <source>The archive&apos;s path was copied.</source>
        <translation>アーカイブのパスをコピーしました。</translation>
    </message>
    <message>
        <source>Sent to %1 and verified.</source>
        <translation>%1 に送信し、検証しました。</translation>
    </message>
    <message>
        <source>The archive was sent to support. The receipt records where it went.</source>
        <translation>アーカイブをサポートに送信しました。送信先は記録に残っています。</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>送信されていません: %1</translation>
    </message>
    <message>
        <source>Sending failed: %1 The archive is still saved.</source>
        <translation>送信に失敗しました: %1 アーカイブは保存されたままです。</translation>
    </message>
    <message>
        <source>Send to support for case %1</source>
        <translation>案件 %1 としてサポートに送信</translation>
    </message>
    <message>
        <source>Choose a folder for the archive (a full path).</source>
        <translation>アーカイブの保存先フォルダーを(フルパスで)指定してください。</translation>
    </message>
    <message>
        <source>Redacting and packaging...</source>
        <translation>秘匿化してまとめています...</translation>
    </message>
    <message>
        <source>No archive was written: %1</source>
        <translation>アーカイブは作成されませんでした: %1</translation>
    </message>
    <message>
        <source>Create &amp;again</source>
        <translation>もう一度作成(&amp;A)</translation>
    </message>
    <message>
        <source>not saved</source>
        <translation>保存されていません</translation>
    </message>
    <message>
        <source>Connecting...</source>
        <translation>接続しています...</translation>
    </message>
    <message>
        <source>Save or send</source>
        <translation>保存・送信</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>閉じる(&amp;C)</translation>
    </message>
    <message>
        <source>Pseudonym map</source>
        <translation>仮名の対応表</translation>
    </message>
    <message>
        <source>Only for you: it turns pseudonyms back into the real values. It is never sent.</source>
        <translation>あなた専用です。仮名を元の値に戻すためのもので、送信されることはありません。</translation>
    </message>
    <message>
        <source>Consent receipt</source>
        <translation>同意の記録</translation>
    </message>
    <message>
        <source>S&amp;eal the archive: encrypted so that only support can open it</source>
        <translation>アーカイブを封印する: サポートだけが開けるように暗号化します(&amp;E)</translation>
    </message>
    <message>
        <source>Sealing is required. %1</source>
        <translation>封印は必須です。%1</translation>
    </message>
    <message>
        <source>Sealing is required by the profile.</source>
        <translation>プロファイルにより封印は必須です。</translation>
    </message>
    <message>
        <source>Sending from this tool is turned off. %1</source>
        <translation>このツールからの送信は無効になっています。%1</translation>
    </message>
    <message>
        <source>Archives are sent only to %1. %2</source>
        <translation>アーカイブは %1 にのみ送信されます。%2</translation>
    </message>
    <message>
        <source>It is sealed: only support can open it.</source>
        <translation>封印済みです: サポートだけが開けます。</translation>
    </message>
    <message>
        <source>No file manager could be opened. The archive is in %1 (Copy path puts its path on the clipboard).</source>
        <translation>ファイルマネージャーを開けませんでした。アーカイブは %1 にあります (「パスをコピー」でパスをクリップボードにコピーできます)。</translation>
    </message>
    <message>
        <source>The archive was saved (%1).</source>
        <translation>アーカイブを保存しました (%1)。</translation>
    </message>
    <message numerus="yes">
        <source>The same values stood %Ln more time(s) elsewhere in the files and were replaced there too.</source>
        <translation>
            <numerusform>同じ値がファイルの他の場所にもさらに %Ln 回あり、そこでも置き換えました。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dc::gui::GuiApp</name>
    <message>
        <source>The administrator&apos;s policy has mistakes: Diagnostics Collector does not run until it is fixed.</source>
        <translation>管理者のポリシーに誤りがあります。修正されるまで Diagnostics Collector は動作しません。</translation>
    </message>
    <message>
        <source>Diagnostics Collector</source>
        <translation>Diagnostics Collector</translation>
    </message>
    <message>
        <source>Diagnostics Collector cannot start.</source>
        <translation>Diagnostics Collector を起動できません。</translation>
    </message>
</context>
<context>
    <name>dc::gui::HistoryDialog</name>
    <message>
        <source>Previous collections</source>
        <translation>過去の収集</translation>
    </message>
    <message>
        <source>No collection has been saved on this computer yet.</source>
        <translation>このコンピューターにはまだ収集の記録がありません。</translation>
    </message>
    <message>
        <source>The receipts of your previous collections, kept on this computer in %1.</source>
        <translation>過去の収集の記録です。このコンピューターの %1 に保存されています。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>アーカイブ</translation>
    </message>
    <message>
        <source>Sent or saved</source>
        <translation>送信・保存先</translation>
    </message>
    <message>
        <source>Redacted</source>
        <translation>秘匿化</translation>
    </message>
    <message>
        <source>Receipt details</source>
        <translation>記録の詳細</translation>
    </message>
    <message>
        <source>sent to %1</source>
        <translation>%1 に送信</translation>
    </message>
    <message>
        <source>saved in %1</source>
        <translation>%1 に保存</translation>
    </message>
    <message>
        <source>Show &amp;archive folder</source>
        <translation>アーカイブのフォルダーを表示(&amp;A)</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>指定なし</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>プロファイル</translation>
    </message>
    <message>
        <source>Started from</source>
        <translation>起動元</translation>
    </message>
    <message>
        <source>the command line (headless)</source>
        <translation>コマンドライン (ヘッドレス)</translation>
    </message>
    <message>
        <source>the desktop wizard</source>
        <translation>デスクトップのウィザード</translation>
    </message>
    <message>
        <source>%L1 items</source>
        <translation>%L1 項目</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>収集</translation>
    </message>
    <message>
        <source>%1: %L2 items, %3</source>
        <translation>%1: %L2 項目、%3</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>カテゴリー別</translation>
    </message>
    <message>
        <source>Left out by you</source>
        <translation>除外した項目</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>off: personal data was left as collected</source>
        <translation>オフ: 個人データは収集したままです</translation>
    </message>
    <message>
        <source>%L1 values replaced by pseudonyms, %L2 kept by your choice, %L3 files left out, %L4 words of your own added</source>
        <translation>%L1 個の値を仮名に置き換え、%L2 個を選択により保持、%L3 個のファイルを除外、独自の語句を %L4 個追加</translation>
    </message>
    <message>
        <source>Redaction</source>
        <translation>秘匿化</translation>
    </message>
    <message>
        <source>sealed: only support can open it</source>
        <translation>封印済み: サポートだけが開けます</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Pseudonym map</source>
        <translation>仮名の対応表</translation>
    </message>
    <message>
        <source>not saved</source>
        <translation>保存されていません</translation>
    </message>
    <message>
        <source>Receipt file</source>
        <translation>同意記録のファイル</translation>
    </message>
    <message>
        <source>No file manager could be opened. The archive is in %1.</source>
        <translation>ファイルマネージャーを開けませんでした。アーカイブは %1 にあります。</translation>
    </message>
    <message>
        <source>%L1 items, in full-log mode</source>
        <translation>%L1 項目 (完全ログモード)</translation>
    </message>
</context>
<context>
    <name>dc::gui::LogModel</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1: %2 becomes %3</source>
        <translation>%1: %2 は %3 になります</translation>
    </message>
    <message>
        <source>%1: %2 is kept (%3 not used)</source>
        <translation>%1: %2 はそのまま残します(%3 は使いません)</translation>
    </message>
</context>
<context>
    <name>dc::gui::MainWindow</name>
    <message>
        <source>Diagnostics Collector</source>
        <translation>Diagnostics Collector</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>戻る(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Previous collections...</source>
        <translation>過去の収集(&amp;P)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;What is collected?</source>
        <translation>収集される内容(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;About Diagnostics Collector</source>
        <translation>Diagnostics Collector について(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
    <message>
        <source>The profile cannot be used: %1</source>
        <translation>プロファイルを使用できません: %1</translation>
    </message>
    <message>
        <source>Step %1 of %2: %3</source>
        <translation>%2 ステップ中 %1: %3</translation>
    </message>
    <message>
        <source>%1 - Diagnostics Collector</source>
        <translation>%1 - Diagnostics Collector</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>閉じる(&amp;L)</translation>
    </message>
    <message>
        <source>The collection you reviewed is not saved yet.</source>
        <translation>確認した収集結果はまだ保存されていません。</translation>
    </message>
    <message>
        <source>If you quit now, the collected files and your review decisions are deleted.</source>
        <translation>いま終了すると、収集したファイルと確認での選択は削除されます。</translation>
    </message>
    <message>
        <source>&amp;Discard and quit</source>
        <translation>破棄して終了(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Keep working</source>
        <translation>作業を続ける(&amp;K)</translation>
    </message>
</context>
<context>
    <name>dc::gui::MessageWidget</name>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>メッセージを閉じる</translation>
    </message>
</context>
<context>
    <name>dc::gui::ReproducePage</name>
    <message>
        <source>Support needs the product&apos;s complete logs of the moment the problem happens. For this, the product&apos;s logging was raised to full:</source>
        <translation>サポートには、問題が起きた瞬間の製品の完全なログが必要です。そのため、製品のログレベルをフルに上げました:</translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation>これから行うこと</translation>
    </message>
    <message>
        <source>&lt;ol style=&quot;margin-left: 0px; -qt-list-indent: 1;&quot;&gt;&lt;li&gt;Make the problem happen again now, the way it usually happens.&lt;/li&gt;&lt;li&gt;Then click &lt;b&gt;Done&lt;/b&gt;. The collection starts at once, and the normal logging level is restored as soon as it has finished.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;ol style=&quot;margin-left: 0px; -qt-list-indent: 1;&quot;&gt;&lt;li&gt;いつも問題が起きるときと同じ操作で、今もう一度問題を起こしてください。&lt;/li&gt;&lt;li&gt;それから&lt;b&gt;完了&lt;/b&gt;をクリックします。すぐに収集が始まり、収集が終わりしだい通常のログレベルに戻します。&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Time left until the normal logging level is restored</source>
        <translation>通常のログレベルに戻すまでの残り時間</translation>
    </message>
    <message>
        <source>&amp;Done — I reproduced the problem</source>
        <translation>完了 — 問題を再現しました(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>もう一度試す(&amp;T)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Logging was not changed.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;ログレベルは変更されていません。&lt;/b&gt;%1</translation>
    </message>
    <message>
        <source>The product&apos;s logging could not be raised to full: %1</source>
        <translation>製品のログレベルをフルに上げられませんでした: %1</translation>
    </message>
    <message>
        <source>Full logging was already on for &lt;b&gt;%1&lt;/b&gt; (%2), turned on outside this wizard. It stays on after this round, until it is turned off or its time cap is reached.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; のフルログは、このウィザードの外ですでにオンにされていました(%2)。今回の収集の後もオンのままで、オフにされるか時間の上限に達するまで続きます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: its logging was raised with the product&apos;s own command. It is restored with: %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: 製品自身のコマンドでログレベルを上げました。戻すときのコマンド: %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 is now &quot;%3&quot;; it was &quot;%4&quot;.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 を「%4」から「%3」に変更しました。</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未設定</translation>
    </message>
    <message>
        <source>The product was restarted to pick up the new level, and is restarted again when the level is restored.</source>
        <translation>新しいレベルを反映させるため製品を再起動しました。レベルを戻すときにも再起動します。</translation>
    </message>
    <message>
        <source>The normal level also comes back if you go back, cancel or close this window. Full logging ends at the latest at %1 (the time cap); should this tool end unexpectedly, its next start restores the level.</source>
        <translation>前に戻る、中止する、このウィンドウを閉じる、のいずれでも通常のレベルに戻ります。フルログは遅くとも %1 (時間の上限) に終わります。このツールが予期せず終了した場合は、次回の起動時にレベルを戻します。</translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>残り時間: %1</translation>
    </message>
    <message>
        <source>Time is up.</source>
        <translation>時間切れです。</translation>
    </message>
    <message>
        <source>The time cap was reached and the normal logging level was restored. You can still collect what was logged until now, or go back and start again.</source>
        <translation>時間の上限に達したため、通常のログレベルに戻しました。ここまでに記録された内容を収集することも、前に戻ってやり直すこともできます。</translation>
    </message>
    <message>
        <source>Reproduce</source>
        <translation>再現</translation>
    </message>
    <message>
        <source>Collect &amp;now</source>
        <translation>今すぐ収集(&amp;N)</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%2 の %1</translation>
    </message>
</context>
<context>
    <name>dc::gui::ReviewPage</name>
    <message>
        <source>text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>compressed text</source>
        <translation>圧縮テキスト</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>バイナリ</translation>
    </message>
    <message>
        <source>collected</source>
        <translation>収集済み</translation>
    </message>
    <message>
        <source>shortened</source>
        <translation>短縮</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>C&amp;ollected files:</source>
        <translation>収集したファイル(&amp;O):</translation>
    </message>
    <message>
        <source>Collected files</source>
        <translation>収集したファイル</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>検出</translation>
    </message>
    <message>
        <source>In archive</source>
        <translation>アーカイブに含める</translation>
    </message>
    <message>
        <source>&amp;Exclude file</source>
        <translation>ファイルを除外(&amp;E)</translation>
    </message>
    <message>
        <source>Values and pseudonyms</source>
        <translation>値と仮名</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>Search all files</source>
        <translation>全ファイルを検索</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>&amp;Include file</source>
        <translation>ファイルを含める(&amp;I)</translation>
    </message>
    <message>
        <source>The first %1 matches are shown.</source>
        <translation>最初の %1 件を表示しています。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln match(es).</source>
        <translation>
            <numerusform>%Ln 件見つかりました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a file on the left to see its content.</source>
        <translation>左側でファイルを選ぶと内容が表示されます。</translation>
    </message>
    <message>
        <source>Find in this file</source>
        <translation>このファイル内を検索</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>次を検索(&amp;N)</translation>
    </message>
    <message>
        <source>Show the redacted copy &amp;side by side</source>
        <translation>秘匿化後の内容を並べて表示(&amp;S)</translation>
    </message>
    <message>
        <source>Original content</source>
        <translation>元の内容</translation>
    </message>
    <message>
        <source>Redacted content</source>
        <translation>秘匿化後の内容</translation>
    </message>
    <message>
        <source>Selected line; select text in it to redact it everywhere</source>
        <translation>選択した行。この中の文字列を選ぶと、すべてのファイルで秘匿化できます</translation>
    </message>
    <message>
        <source>Select a line above, then select text here</source>
        <translation>上で行を選び、ここで文字列を選択します</translation>
    </message>
    <message>
        <source>&amp;Redact selected text everywhere</source>
        <translation>選択した文字列をすべて秘匿化(&amp;R)</translation>
    </message>
    <message>
        <source>Findings in this file</source>
        <translation>このファイルの検出結果</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>検出した値</translation>
    </message>
    <message>
        <source>Pseudonym</source>
        <translation>仮名</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Each value found is replaced by the same pseudonym in every file, so support can still follow one address or name through the logs. This map stays on this computer; it is saved next to the archive for you and never packaged.</source>
        <translation>検出した値は、どのファイルでも同じ仮名に置き換えられます。そのため、サポートは同じアドレスや名前をログ全体で追うことができます。この対応表はこのコンピューターに残り、あなたのためにアーカイブの隣に保存されます。アーカイブに含まれることはありません。</translation>
    </message>
    <message>
        <source>[host-1], [email-2], or a value</source>
        <translation>[host-1]、[email-2]、または値</translation>
    </message>
    <message>
        <source>&amp;Look up:</source>
        <translation>検索(&amp;L):</translation>
    </message>
    <message>
        <source>Values and their pseudonyms</source>
        <translation>値とその仮名</translation>
    </message>
    <message>
        <source>Original value</source>
        <translation>元の値</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>Occurrences</source>
        <translation>出現回数</translation>
    </message>
    <message>
        <source>A name, project or anything else to hide</source>
        <translation>隠したい名前やプロジェクト名など</translation>
    </message>
    <message>
        <source>Text to redact everywhere</source>
        <translation>すべてのファイルで秘匿化する文字列</translation>
    </message>
    <message>
        <source>Also redact:</source>
        <translation>追加で秘匿化:</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <source>Untick a rule to keep everything it found, in every file.</source>
        <translation>ルールのチェックを外すと、そのルールが検出したものはすべてのファイルでそのまま残ります。</translation>
    </message>
    <message>
        <source>Redaction rules</source>
        <translation>秘匿化ルール</translation>
    </message>
    <message>
        <source>What it finds</source>
        <translation>検出する内容</translation>
    </message>
    <message>
        <source>Text to find in every collected file</source>
        <translation>収集したすべてのファイルから探す文字列</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>検索(&amp;S)</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>検索結果</translation>
    </message>
    <message>
        <source>&lt;b&gt;What the archive will hold&lt;/b&gt; (hatched: left out)</source>
        <translation>&lt;b&gt;アーカイブに含まれる内容&lt;/b&gt;(斜線: 除外)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>in the archive</source>
        <translation>アーカイブに含まれます</translation>
    </message>
    <message>
        <source>left out of the archive</source>
        <translation>アーカイブから除外されます</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2, %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2、%3</translation>
    </message>
    <message numerus="yes">
        <source>%Ln finding(s)</source>
        <translation>
            <numerusform>%Ln 件の検出</numerusform>
        </translation>
    </message>
    <message>
        <source>Binary data cannot be shown or redacted. It is left out unless you include it: %1</source>
        <translation>バイナリデータは表示も秘匿化もできません。含めると指定しない限り除外されます: %1</translation>
    </message>
    <message>
        <source>Compressed log: its text is shown in the redacted copy.</source>
        <translation>圧縮されたログです。テキストは秘匿化後の表示で確認できます。</translation>
    </message>
    <message>
        <source>Redact %1</source>
        <translation>%1 を秘匿化</translation>
    </message>
    <message>
        <source>The first %1 of %2 findings are listed.</source>
        <translation>%2 件の検出のうち最初の %1 件を表示しています。</translation>
    </message>
    <message>
        <source>&lt;p&gt;By rule: %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;ルール別: %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Your own terms redacted everywhere: %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;すべてのファイルで秘匿化する独自の語句: %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No file is left out.&lt;/p&gt;</source>
        <translation>&lt;p&gt;除外するファイルはありません。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;%n file(s) left out of the archive:&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;アーカイブから除外するファイル(%n 個):&lt;/p&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;The archive also holds manifest.json (what was collected and why), summary.html and redaction.json (counts per rule, never a value).&lt;/p&gt;</source>
        <translation>&lt;p&gt;アーカイブには、manifest.json(何をなぜ収集したか)、summary.html、redaction.json(ルールごとの件数のみで、値は含みません)も含まれます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 will be left out of the archive.</source>
        <translation>%1 はアーカイブから除外されます。</translation>
    </message>
    <message>
        <source>%1 will be in the archive.</source>
        <translation>%1 はアーカイブに含まれます。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in this file.</source>
        <translation>「%1」はこのファイルにありません。</translation>
    </message>
    <message>
        <source>Searching...</source>
        <translation>検索しています...</translation>
    </message>
    <message>
        <source>%1 stands for &quot;%2&quot; (%3).</source>
        <translation>%1 は「%2」(%3)を表します。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; becomes %2.</source>
        <translation>「%1」は %2 になります。</translation>
    </message>
    <message>
        <source>No pseudonym or value matches.</source>
        <translation>一致する仮名や値はありません。</translation>
    </message>
    <message>
        <source>Enter at least two characters to redact.</source>
        <translation>秘匿化する文字列を 2 文字以上入力してください。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; will be redacted in every file. Looking for it...</source>
        <translation>「%1」をすべてのファイルで秘匿化します。検索しています...</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>&amp;Continue to save</source>
        <translation>保存へ進む(&amp;C)</translation>
    </message>
    <message>
        <source>Redact here (rule)</source>
        <translation>ここを秘匿化(ルール)</translation>
    </message>
    <message>
        <source>Always redacted: set by your administrator&apos;s policy.</source>
        <translation>常に秘匿化されます: 管理者のポリシーによる設定です。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Redaction cannot be turned off:&lt;/b&gt; every value found is replaced by a pseudonym, so the switches to keep a value are locked. %1</source>
        <translation>&lt;b&gt;秘匿化はオフにできません:&lt;/b&gt; 見つかった値はすべて仮名に置き換えられるため、値を残すためのスイッチはロックされています。%1</translation>
    </message>
    <message>
        <source>Your administrator&apos;s policy adds its own terms and patterns to the redaction; what they find cannot be kept. %1</source>
        <translation>管理者のポリシーにより、独自の語句とパターンが秘匿化に追加されています。これらで見つかった値は残せません。%1</translation>
    </message>
    <message>
        <source>Added by your administrator&apos;s policy: %1</source>
        <translation>管理者のポリシーで追加: %1</translation>
    </message>
    <message numerus="yes">
        <source>&quot;%1&quot; is redacted in every file (%Ln occurrence(s) found).</source>
        <translation>
            <numerusform>「%1」をすべてのファイルで秘匿化します (%Ln 件見つかりました)。</numerusform>
        </translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>判断</translation>
    </message>
    <message>
        <source>A tick here is for this occurrence only; right-click a finding to keep or redact its value everywhere.</source>
        <translation>ここのチェックはこの箇所だけに適用されます。値をすべての場所で残す・秘匿化するには、検出を右クリックしてください。</translation>
    </message>
    <message>
        <source>redacted: policy</source>
        <translation>秘匿化: ポリシー</translation>
    </message>
    <message>
        <source>kept here only</source>
        <translation>残す: この箇所のみ</translation>
    </message>
    <message>
        <source>redacted here</source>
        <translation>秘匿化: この箇所</translation>
    </message>
    <message>
        <source>kept everywhere</source>
        <translation>残す: すべての場所</translation>
    </message>
    <message>
        <source>redacted everywhere</source>
        <translation>秘匿化: すべての場所</translation>
    </message>
    <message>
        <source>kept: rule off</source>
        <translation>残す: ルールがオフ</translation>
    </message>
    <message>
        <source>redacted</source>
        <translation>秘匿化</translation>
    </message>
    <message>
        <source>Redact &quot;%1&quot; everywhere</source>
        <translation>「%1」をすべての場所で秘匿化</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Keep &quot;%1&quot; everywhere</source>
        <translation>「%1」をすべての場所で残す(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Redact &quot;%1&quot; everywhere</source>
        <translation>「%1」をすべての場所で秘匿化(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Follow the value&apos;s decision here</source>
        <translation>ここでも値の判断に従う(&amp;F)</translation>
    </message>
</context>
<context>
    <name>dc::gui::WelcomePage</name>
    <message>
        <source>what the product itself recorded while the problem happened</source>
        <translation>問題が起きたときに製品自身が記録した内容</translation>
    </message>
    <message>
        <source>network, installed applications, services, processes, drives, device and user names, so support knows the environment the product runs in</source>
        <translation>ネットワーク、インストール済みのアプリケーション、サービス、プロセス、ドライブ、デバイス名とユーザー名。製品が動いている環境をサポートが把握するためです</translation>
    </message>
    <message>
        <source>the operating system&apos;s recent logs, which often show the cause of a failure</source>
        <translation>オペレーティングシステムの最近のログ。障害の原因がよく記録されています</translation>
    </message>
    <message>
        <source>a snapshot of recent system events, to line them up with the problem</source>
        <translation>最近のシステムイベントのスナップショット。問題と時系列で照らし合わせるためです</translation>
    </message>
    <message>
        <source>reports of programs that crashed, so support can see where they failed</source>
        <translation>クラッシュしたプログラムのレポート。どこで失敗したかをサポートが確認するためです</translation>
    </message>
    <message>
        <source>this tool&apos;s own log, to tell a collection problem from a system problem</source>
        <translation>このツール自身のログ。収集の問題かシステムの問題かを見分けるためです</translation>
    </message>
    <message>
        <source>This assistant gathers what a support engineer needs to solve your case, and nothing more. You choose what is collected, review everything before it is packaged, and decide where it goes.</source>
        <translation>このアシスタントは、サポート担当者があなたの問題を解決するのに必要な情報だけを集めます。何を収集するかを選び、まとめる前にすべてを確認し、送り先もあなたが決めます。</translation>
    </message>
    <message>
        <source>What is collected and why</source>
        <translation>収集する内容とその理由</translation>
    </message>
    <message>
        <source>Where your data goes</source>
        <translation>データの行き先</translation>
    </message>
    <message>
        <source>Support case ID</source>
        <translation>サポート案件 ID</translation>
    </message>
    <message>
        <source>for example 12345</source>
        <translation>例: 12345</translation>
    </message>
    <message>
        <source>Support &amp;case ID (optional):</source>
        <translation>サポート案件 ID(任意)(&amp;C):</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;. It names the archive and goes with an upload.</source>
        <translation>英字、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos; が使えます。アーカイブ名に使われ、送信時にも添えられます。</translation>
    </message>
    <message>
        <source>I have &amp;read this and want to continue.</source>
        <translation>上記を読み、続行します(&amp;R)。</translation>
    </message>
    <message>
        <source>Consent to collect diagnostics</source>
        <translation>診断情報の収集への同意</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n 項目</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is first copied into a private folder on this computer that only you can read.</source>
        <translation>すべて、まずこのコンピューター上の、あなただけが読めるフォルダーにコピーされます。</translation>
    </message>
    <message>
        <source>Personal data (e-mail and IP addresses, user and host names, passwords and keys) is replaced by pseudonyms. You can review and change every decision before anything is packaged.</source>
        <translation>個人データ(メールアドレス、IP アドレス、ユーザー名、ホスト名、パスワード、鍵)は仮名に置き換えられます。まとめる前に、すべての判断を確認して変更できます。</translation>
    </message>
    <message>
        <source>The archive is saved on this computer, on your Desktop unless you choose another folder. &lt;b&gt;Nothing is sent to anyone without your confirmation on the last page.&lt;/b&gt;</source>
        <translation>アーカイブはこのコンピューターに保存されます。別のフォルダーを選ばない限り、デスクトップに保存されます。&lt;b&gt;最後のページであなたが確認しない限り、誰にも何も送信されません。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Support uses the data only for your case and deletes it when the case is closed.</source>
        <translation>サポートはこのデータをあなたの案件のためだけに使い、案件の終了時に削除します。</translation>
    </message>
    <message numerus="yes">
        <source>Archives and pseudonym maps left on this computer are deleted after %n day(s).</source>
        <translation>
            <numerusform>このコンピューターに残ったアーカイブと仮名の対応表は、%n 日後に削除されます。</numerusform>
        </translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>ようこそ</translation>
    </message>
    <message>
        <source>&lt;b&gt;Full logging was still on&lt;/b&gt; from an earlier run that did not end normally (or ran past its time cap). It was turned off and the normal logging level restored.</source>
        <translation>正常に終了しなかった (または時間の上限を過ぎた) 以前の実行による&lt;b&gt;フルログがまだオンでした&lt;/b&gt;。オフにして、通常のログレベルに戻しました。</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>詳細: %1</translation>
    </message>
    <message>
        <source>Full logging left on by an earlier run could not be checked or restored: %1</source>
        <translation>以前の実行でオンのまま残ったフルログを確認できないか、元に戻せませんでした: %1</translation>
    </message>
    <message>
        <source>What did support ask for?</source>
        <translation>サポートから何を依頼されましたか?</translation>
    </message>
    <message>
        <source>N&amp;ormal collection</source>
        <translation>通常の収集(&amp;O)</translation>
    </message>
    <message>
        <source>Support asked me for full &amp;logs</source>
        <translation>サポートからフルログを依頼された(&amp;L)</translation>
    </message>
    <message>
        <source>disabled by your administrator&apos;s policy</source>
        <translation>管理者のポリシーで無効</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) that are collected only in this mode</source>
        <translation>
            <numerusform>このモードでのみ収集される %n 個の項目</numerusform>
        </translation>
    </message>
    <message>
        <source>the product&apos;s complete logs: older, rotated and compressed files too, without the size limit per file</source>
        <translation>製品の完全なログ: 古いファイル、ローテーション済みや圧縮済みのファイルも含め、ファイルごとのサイズ制限なし</translation>
    </message>
    <message>
        <source>the product&apos;s crash dumps themselves, whole: binary files that cannot be redacted as text, so every value chosen for redaction is masked in them; you can still leave them out in the review</source>
        <translation>製品のクラッシュダンプそのもの: テキストとして秘匿化できないバイナリファイルのため、秘匿化対象に選ばれた値はダンプ内で伏せ字にされます。確認の段階で除外することもできます</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%2 の %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Full-log mode collects more data than a normal collection&lt;/b&gt;, so the archive is larger and may hold more personal data:</source>
        <translation>&lt;b&gt;フルログモードでは通常の収集より多くのデータを収集します&lt;/b&gt;。アーカイブは大きくなり、個人データも多く含まれる可能性があります:</translation>
    </message>
    <message>
        <source>Before collecting, the product&apos;s logging is raised to full (%1) and you reproduce the problem. The previous level is recorded first and restored right after the collection, also if you cancel or close the window.</source>
        <translation>収集の前に製品のログレベルをフルに上げ (%1)、問題を再現していただきます。元のレベルは先に記録され、収集の直後に戻します。中止したりウィンドウを閉じたりした場合も同様です。</translation>
    </message>
    <message numerus="yes">
        <source>Full logging lasts %n minute(s) at most.</source>
        <translation>
            <numerusform>フルログは最長 %n 分間です。</numerusform>
        </translation>
    </message>
    <message>
        <source>The profile cannot be used (see the message above).</source>
        <translation>プロファイルを使用できません (上のメッセージを参照してください)。</translation>
    </message>
    <message>
        <source>Tick &quot;I have read this&quot; to continue.</source>
        <translation>続行するには「上記を読み、続行します」にチェックを入れてください。</translation>
    </message>
    <message>
        <source>The case ID may hold only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>ケース ID には英字、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos; だけを使えます。</translation>
    </message>
</context>
<context>
    <name>dc::gui::WhatCollectedDialog</name>
    <message>
        <source>What is collected?</source>
        <translation>収集される内容</translation>
    </message>
    <message numerus="yes">
        <source>Profile &quot;%1&quot;: %n item(s) on this computer. %2</source>
        <translation>
            <numerusform>プロファイル「%1」: このコンピューターでは %n 項目。%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Items the profile collects</source>
        <translation>プロファイルが収集する項目</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Why support needs it</source>
        <translation>サポートが必要とする理由</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>収集元</translation>
    </message>
    <message>
        <source>%1 (required)</source>
        <translation>%1(必須)</translation>
    </message>
</context>
<context>
    <name>dc::gui::WizardContext</name>
    <message>
        <source>No profile is loaded.</source>
        <translation>プロファイルが読み込まれていません。</translation>
    </message>
    <message>
        <source>Set by your administrator&apos;s policy (%1).</source>
        <translation>管理者のポリシーによる設定です (%1)。</translation>
    </message>
    <message>
        <source>Full-log mode is not allowed on this computer. %1</source>
        <translation>このコンピューターではフルログモードは許可されていません。%1</translation>
    </message>
    <message>
        <source>Full-log mode is not available: the profile in use does not say how to raise the product&apos;s logging.</source>
        <translation>フルログモードは使えません: 使用中のプロファイルに、製品のログレベルを上げる方法が定められていません。</translation>
    </message>
    <message>
        <source>The normal logging level could not be restored: %1. The next start of this tool tries again.</source>
        <translation>通常のログレベルに戻せませんでした: %1。このツールの次回の起動時に再試行します。</translation>
    </message>
    <message>
        <source>Full logging is off again: the normal logging level of %1 was restored.</source>
        <translation>フルログをオフにしました: %1 のログレベルを通常に戻しました。</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>詳細: %1</translation>
    </message>
    <message>
        <source>%L1 values replaced by pseudonyms, %L2 kept by your choice.</source>
        <extracomment>The Review&apos;s Summary and the Save page (and, in its words, a receipt): the findings that are replaced and those the user keeps. %L1 and %L2 have the locale&apos;s digit grouping.</extracomment>
        <translation>%L1 個の値を仮名に置き換え、%L2 個を選択により残します。</translation>
    </message>
</context>
<context>
    <name>dc::gui::WizardPage</name>
    <message>
        <source>&amp;Next</source>
        <translation>次へ(&amp;N)</translation>
    </message>
</context>
</TS>

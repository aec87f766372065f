#compdef communique

autoload -U is-at-least

_communique() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_communique_commands" \
"*::: :->communique" \
&& ret=0
    case $state in
    (communique)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:communique-command-$line[1]:"
        case $line[1] in
            (build)
_arguments "${_arguments_options[@]}" : \
'--max-input-mb=[Largest input file accepted, in megabytes]:MB:_default' \
'--max-depth=[Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256]:LEVELS:_default' \
'--config=[House configuration to use instead of the nearest \`communique.toml\` in the input'\''s folder or its parents]:FILE:_files' \
'*-f+[Output formats, comma-separated or repeated\: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all]:FORMATS:((pdf\:""
epub\:""
html\:""
model\:""
txt\:"Wire-ready plain text, OUT/<stem>.txt"
eml\:"An e-mail draft with the PDF attached, OUT/<stem>.eml"
all\:""))' \
'*--format=[Output formats, comma-separated or repeated\: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all]:FORMATS:((pdf\:""
epub\:""
html\:""
model\:""
txt\:"Wire-ready plain text, OUT/<stem>.txt"
eml\:"An e-mail draft with the PDF attached, OUT/<stem>.eml"
all\:""))' \
'-o+[Folder for the outputs]:DIR:_files' \
'--out-dir=[Folder for the outputs]:DIR:_files' \
'--bundle=[Bundle every input into one EPUB briefing pack with this title (written as OUT/<slug of title>.epub instead of one EPUB per statement)]:TITLE:_default' \
'--paper=[Paper size of the PDF (default\: letter for en-US, A4 otherwise)]:PAPER:(letter a4)' \
'--pdf-standard=[Standards the PDF meets\: \`ua1\` (tagged, accessible), \`a2b\` (archival), both (the default\: \`ua1,a2b\`) or \`none\` (a smaller file)]:LIST:_default' \
'*--font-dir=[A folder of extra fonts (.ttf, .otf, .ttc), searched for characters the bundled fonts lack; may be repeated]:DIR:_files' \
'--max-image-mb=[Largest image file accepted, in megabytes]:MB:_default' \
'--max-image-side=[Longest image side accepted, in pixels]:PIXELS:_default' \
'--max-image-decoded-mb=[Largest decoded image accepted (width × height × 4 bytes), in megabytes]:MB:_default' \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'--no-smart-punctuation[Keep straight quotes and \`--\` as typed instead of making them typographic]' \
'--deny-warnings[Treat warnings as errors (exit code 1)]' \
'-q[Print errors only]' \
'--quiet[Print errors only]' \
'--embed-fonts[Embed the bundled fonts in EPUBs (larger files; readers'\'' own fonts are used otherwise)]' \
'--allow-outside[Allow images outside the statement'\''s folder (\`..\`, absolute paths, links pointing out)]' \
'--ragged[Set the PDF'\''s body text ragged-right instead of justified]' \
'--no-system-fonts[Use only the bundled fonts and --font-dir, never the system'\''s font folders (the same PDF on every machine; emoji are then drawn in the bundled monochrome Noto Emoji)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::paths -- Markdown files or folders (a folder means every `*.md` in it). Default\: content/:_files' \
&& ret=0
;;
(watch)
_arguments "${_arguments_options[@]}" : \
'--max-input-mb=[Largest input file accepted, in megabytes]:MB:_default' \
'--max-depth=[Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256]:LEVELS:_default' \
'--config=[House configuration to use instead of the nearest \`communique.toml\` in the input'\''s folder or its parents]:FILE:_files' \
'*-f+[Output formats, comma-separated or repeated\: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all]:FORMATS:((pdf\:""
epub\:""
html\:""
model\:""
txt\:"Wire-ready plain text, OUT/<stem>.txt"
eml\:"An e-mail draft with the PDF attached, OUT/<stem>.eml"
all\:""))' \
'*--format=[Output formats, comma-separated or repeated\: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all]:FORMATS:((pdf\:""
epub\:""
html\:""
model\:""
txt\:"Wire-ready plain text, OUT/<stem>.txt"
eml\:"An e-mail draft with the PDF attached, OUT/<stem>.eml"
all\:""))' \
'-o+[Folder for the outputs]:DIR:_files' \
'--out-dir=[Folder for the outputs]:DIR:_files' \
'--bundle=[Bundle every input into one EPUB briefing pack with this title (written as OUT/<slug of title>.epub instead of one EPUB per statement)]:TITLE:_default' \
'--paper=[Paper size of the PDF (default\: letter for en-US, A4 otherwise)]:PAPER:(letter a4)' \
'--pdf-standard=[Standards the PDF meets\: \`ua1\` (tagged, accessible), \`a2b\` (archival), both (the default\: \`ua1,a2b\`) or \`none\` (a smaller file)]:LIST:_default' \
'*--font-dir=[A folder of extra fonts (.ttf, .otf, .ttc), searched for characters the bundled fonts lack; may be repeated]:DIR:_files' \
'--max-image-mb=[Largest image file accepted, in megabytes]:MB:_default' \
'--max-image-side=[Longest image side accepted, in pixels]:PIXELS:_default' \
'--max-image-decoded-mb=[Largest decoded image accepted (width × height × 4 bytes), in megabytes]:MB:_default' \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'--no-smart-punctuation[Keep straight quotes and \`--\` as typed instead of making them typographic]' \
'--deny-warnings[Treat warnings as errors (exit code 1)]' \
'-q[Print errors only]' \
'--quiet[Print errors only]' \
'--embed-fonts[Embed the bundled fonts in EPUBs (larger files; readers'\'' own fonts are used otherwise)]' \
'--allow-outside[Allow images outside the statement'\''s folder (\`..\`, absolute paths, links pointing out)]' \
'--ragged[Set the PDF'\''s body text ragged-right instead of justified]' \
'--no-system-fonts[Use only the bundled fonts and --font-dir, never the system'\''s font folders (the same PDF on every machine; emoji are then drawn in the bundled monochrome Noto Emoji)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::paths -- Markdown files or folders (a folder means every `*.md` in it). Default\: content/:_files' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'--max-input-mb=[Largest input file accepted, in megabytes]:MB:_default' \
'--max-depth=[Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256]:LEVELS:_default' \
'--config=[House configuration to use instead of the nearest \`communique.toml\` in the input'\''s folder or its parents]:FILE:_files' \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'--no-smart-punctuation[Keep straight quotes and \`--\` as typed instead of making them typographic]' \
'--deny-warnings[Treat warnings as errors (exit code 1)]' \
'-q[Print errors only]' \
'--quiet[Print errors only]' \
'--explain[Print each statement'\''s effective front matter, with the file and line each value came from]' \
'-h[Print help]' \
'--help[Print help]' \
'*::paths -- Markdown files or folders (a folder means every `*.md` in it). Default\: content/:_files' \
&& ret=0
;;
(new)
_arguments "${_arguments_options[@]}" : \
'--dir=[Folder to write it in]:DIR:_files' \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'-h[Print help]' \
'--help[Print help]' \
':slug -- Name of the new statement\: letters, digits and hyphens (e.g. `upr-response`):_default' \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'-h[Print help]' \
'--help[Print help]' \
'::dir -- The folder to set up (created when missing):_files' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'-h[Print help]' \
'--help[Print help]' \
':shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'--message-format=[How diagnostics are printed\: \`human\` lines, or one JSON object a line for editors and CI]:MESSAGE_FORMAT:(human json)' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_communique__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:communique-help-command-$line[1]:"
        case $line[1] in
            (build)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(watch)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(new)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_communique_commands] )) ||
_communique_commands() {
    local commands; commands=(
'build:Build statements into PDF, EPUB, HTML or a model dump' \
'watch:Build, then rebuild whatever changes when a statement, asset or configuration is saved' \
'check:Read and validate statements only; print diagnostics' \
'new:Start a new statement\: writes content/<SLUG>.md from a commented template' \
'init:Start a press office'\''s folder\: a commented communique.toml, content/ with an example statement, and a .gitignore for out/. Never overwrites' \
'completions:Print a shell completion script (bash, zsh, fish, elvish, powershell)' \
'man:Print the manual page (roff) to standard output' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'communique commands' commands "$@"
}
(( $+functions[_communique__subcmd__build_commands] )) ||
_communique__subcmd__build_commands() {
    local commands; commands=()
    _describe -t commands 'communique build commands' commands "$@"
}
(( $+functions[_communique__subcmd__check_commands] )) ||
_communique__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'communique check commands' commands "$@"
}
(( $+functions[_communique__subcmd__completions_commands] )) ||
_communique__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'communique completions commands' commands "$@"
}
(( $+functions[_communique__subcmd__help_commands] )) ||
_communique__subcmd__help_commands() {
    local commands; commands=(
'build:Build statements into PDF, EPUB, HTML or a model dump' \
'watch:Build, then rebuild whatever changes when a statement, asset or configuration is saved' \
'check:Read and validate statements only; print diagnostics' \
'new:Start a new statement\: writes content/<SLUG>.md from a commented template' \
'init:Start a press office'\''s folder\: a commented communique.toml, content/ with an example statement, and a .gitignore for out/. Never overwrites' \
'completions:Print a shell completion script (bash, zsh, fish, elvish, powershell)' \
'man:Print the manual page (roff) to standard output' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'communique help commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__build_commands] )) ||
_communique__subcmd__help__subcmd__build_commands() {
    local commands; commands=()
    _describe -t commands 'communique help build commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__check_commands] )) ||
_communique__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'communique help check commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__completions_commands] )) ||
_communique__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'communique help completions commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__help_commands] )) ||
_communique__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'communique help help commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__init_commands] )) ||
_communique__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'communique help init commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__man_commands] )) ||
_communique__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'communique help man commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__new_commands] )) ||
_communique__subcmd__help__subcmd__new_commands() {
    local commands; commands=()
    _describe -t commands 'communique help new commands' commands "$@"
}
(( $+functions[_communique__subcmd__help__subcmd__watch_commands] )) ||
_communique__subcmd__help__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'communique help watch commands' commands "$@"
}
(( $+functions[_communique__subcmd__init_commands] )) ||
_communique__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'communique init commands' commands "$@"
}
(( $+functions[_communique__subcmd__man_commands] )) ||
_communique__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'communique man commands' commands "$@"
}
(( $+functions[_communique__subcmd__new_commands] )) ||
_communique__subcmd__new_commands() {
    local commands; commands=()
    _describe -t commands 'communique new commands' commands "$@"
}
(( $+functions[_communique__subcmd__watch_commands] )) ||
_communique__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'communique watch commands' commands "$@"
}

if [ "$funcstack[1]" = "_communique" ]; then
    _communique "$@"
else
    compdef _communique communique
fi

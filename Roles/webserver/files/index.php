<?php
// The balancer tests count answers per server: the body is the server's name and nothing else.
header('Content-Type: text/plain');
echo gethostname(), "\n";

/** Debian's nginx as a plain keep-alive reverse proxy in front of the benchmark's backend, under /bench/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function nginxBinary(): string | null {
  return Bun.which("nginx") ?? Bun.which("nginx", { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" });
}

export function startNginx(bin: string, port: number, backendPort: number, dir: string) {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location /bench/ {
      proxy_pass http://backend/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Prefix /bench;
    }
  }
}
`,
  );
  return Bun.spawn([bin, "-p", dir, "-c", conf, "-g", "daemon off;"], { stdout: "inherit", stderr: "inherit" });
}

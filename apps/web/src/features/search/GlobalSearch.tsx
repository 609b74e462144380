import { SearchOutlined } from '@ant-design/icons';
import type { GlobalSearchResult, SearchHit } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Input, List, Modal, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, query } from '../../lib/api';

type Group = keyof GlobalSearchResult;
const GROUPS: Group[] = ['tickets', 'customers', 'contacts', 'devices'];

/** Where a hit leads: its own page; a contact opens its customer's. */
const target = (group: Group, hit: SearchHit & { customerId?: string }) =>
  ({
    tickets: `/console/tickets/${hit.id}`,
    customers: `/console/customers/${hit.id}`,
    contacts: `/console/customers/${hit.customerId}`,
    devices: `/console/devices/${hit.id}`,
  })[group];

/** Waits until typing pauses, so each keystroke doesn't become a request. */
function useSettled(value: string, ms = 250) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The header's global search: Ctrl+K (⌘K on a Mac) anywhere in the console opens it. Finds
 * tickets, customers, contacts and devices the caller may see — names also by pinyin and initials.
 */
export function GlobalSearch({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const q = useSettled(text.trim());

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const result = useQuery({
    queryKey: ['/search', q],
    queryFn: () => api<GlobalSearchResult>('GET', `/search${query({ q })}`),
    enabled: open && q.length > 0,
  });
  const groups = GROUPS.filter((g) => (result.data?.[g]?.length ?? 0) > 0);
  const go = (path: string) => {
    setOpen(false);
    setText('');
    void navigate(path);
  };

  return (
    <>
      <Button
        icon={<SearchOutlined />}
        onClick={() => setOpen(true)}
        data-testid="global-search"
        aria-label={t('search.open')}
      >
        {!compact && (
          <Typography.Text type="secondary">
            {t('search.open')} <Tag style={{ marginInlineEnd: 0 }}>Ctrl K</Tag>
          </Typography.Text>
        )}
      </Button>
      <Modal open={open} onCancel={() => setOpen(false)} footer={null} title={t('search.title')} destroyOnHidden>
        <Input
          autoFocus
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('search.hint')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => {
            const first = groups[0];
            const hit = first && result.data?.[first]?.[0];
            if (first && hit) go(target(first, hit));
          }}
          data-testid="global-search-input"
        />
        <div style={{ maxHeight: '60vh', overflowY: 'auto', marginTop: 12 }} data-testid="global-search-results">
          {result.isFetching && <Spin />}
          {q && !result.isFetching && groups.length === 0 && <Empty description={t('search.none')} />}
          {groups.map((group) => (
            <List
              key={group}
              size="small"
              header={<Typography.Text strong>{t(`search.groups.${group}`)}</Typography.Text>}
              dataSource={result.data?.[group] ?? []}
              renderItem={(hit) => (
                <List.Item
                  style={{ cursor: 'pointer' }}
                  onClick={() => go(target(group, hit))}
                  data-testid={`search-hit-${group}`}
                  extra={hit.matched !== 'text' && <Tag>{t(`search.matched.${hit.matched}`)}</Tag>}
                >
                  <List.Item.Meta title={hit.title} description={hit.subtitle} />
                </List.Item>
              )}
            />
          ))}
        </div>
      </Modal>
    </>
  );
}
